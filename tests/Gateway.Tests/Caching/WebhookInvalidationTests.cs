using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Caching;

/// <summary>A person writes (the emulator's living inbox), Meta's signed webhook reaches the gateway, and the cached inbox
/// is dropped at once: the next read shows the new message, long before the listing's lifetime would have.</summary>
public sealed class WebhookInvalidationTests
{
    /// <summary>How long a read waits for the webhook to land: the emulator delivers it on its own schedule, which a
    /// machine busy with other builds can stretch to seconds.</summary>
    private static readonly TimeSpan WebhookDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_new_message_reported_by_webhook_shows_in_the_next_read_of_a_cached_inbox()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true,
            settings: MetaWebhooks.Settings(("Gateway:Cache:ListingLifetime", "00:10:00")));
        await host.Emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(host.Client.BaseAddress!, "webhooks/meta").ToString(),
            AppSecret: MetaWebhooks.AppSecret, WebhookVerifyToken: MetaWebhooks.VerifyToken));
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { metaId snippet } } } }""";
        var before = await host.QueryAsync(inbox, new { page = host.Page.PageId });
        var (conversationId, personId) = host.Person(conversationIndex: 1);
        host.Emulator.ResetRequests();

        using var emulator = new HttpClient { BaseAddress = host.Emulator.BaseAddress };
        using var written = await emulator.PostAsJsonAsync("_emulator/messages",
            new { pageId = host.Page.PageId, platform = "messenger", userId = personId, text = "Is it still in stock?" });
        written.EnsureSuccessStatusCode();
        var cachedReads = 0;
        var newest = "";
        for (var waiting = Stopwatch.StartNew(); waiting.Elapsed < WebhookDeadline && newest != conversationId;)
        {
            var answer = await host.QueryAsync(inbox, new { page = host.Page.PageId });
            newest = answer.At("data.page.conversations.nodes.0.metaId")!.GetValue<string>();
            cachedReads += newest == conversationId ? 0 : 1;
            if (newest != conversationId)
            {
                // Waits for the webhook's delivery, which the emulator makes on its own schedule.
                await Task.Delay(50);
            }
        }

        Assert.NotEqual(conversationId, before.At("data.page.conversations.nodes.0.metaId")!.GetValue<string>());
        Assert.Equal(conversationId, newest);
        // Every read until the webhook landed came from the cache; the one after it went to Graph once.
        Assert.Single(host.UpstreamCalls, call => call.Path.EndsWith("/conversations", StringComparison.Ordinal) && !call.Query.Contains("user_id"));
    }

    /// <summary>Readers do not queue behind the refresh of an answer a webhook invalidated (Gateway:Cache:RefreshWait):
    /// they get the previous answer, flagged so a client can tell it may be stale, until the refresh lands.</summary>
    [Fact]
    public async Task An_answer_served_while_its_refresh_after_a_webhook_runs_is_flagged_refreshing()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true, settings: MetaWebhooks.Settings(
            ("Gateway:Cache:ListingLifetime", "00:10:00"), ("Gateway:Cache:RefreshWait", "00:00:00.100")));
        const string inbox = """query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) { nodes { metaId snippet } } } }""";
        await host.Emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(host.Client.BaseAddress!, "webhooks/meta").ToString(),
            AppSecret: MetaWebhooks.AppSecret, WebhookVerifyToken: MetaWebhooks.VerifyToken));
        var before = await host.QueryAsync(inbox, new { page = host.Page.PageId });
        var (conversationId, personId) = host.Person(conversationIndex: 1);
        // Graph now answers slowly: a refresh takes longer than a reader waits for it.
        host.Emulator.Configure(new EmulatorRuntimeConfig(LatencyMs: 1500));

        using var emulator = new HttpClient { BaseAddress = host.Emulator.BaseAddress };
        using var written = await emulator.PostAsJsonAsync("_emulator/messages",
            new { pageId = host.Page.PageId, platform = "messenger", userId = personId, text = "Any news?" });
        written.EnsureSuccessStatusCode();
        var flagged = await Eventually.ObjectAsync(async () =>
        {
            var answer = await host.QueryAsync(inbox, new { page = host.Page.PageId });
            return answer.At("extensions.cache") is null ? null : answer;
        }, WebhookDeadline, "an answer flagged while its refresh runs");
        var refreshed = await Eventually.ObjectAsync(async () =>
        {
            var answer = await host.QueryAsync(inbox, new { page = host.Page.PageId });
            return answer.At("data.page.conversations.nodes.0.snippet")!.GetValue<string>() == "Any news?" ? answer : null;
        }, WebhookDeadline, "the refreshed answer");

        Assert.Equal(before["data"]!.Compact(), flagged["data"]!.Compact());
        Assert.True(flagged.At("extensions.cache.stale")!.GetValue<bool>());
        Assert.Equal("REFRESHING", flagged.At("extensions.cache.reason")!.GetValue<string>());
        Assert.Equal(conversationId, refreshed.At("data.page.conversations.nodes.0.metaId")!.GetValue<string>());
        Assert.Null(refreshed.At("extensions.cache"));
    }

    [Fact]
    public async Task A_reaction_reported_by_webhook_shows_in_the_next_read_of_a_cached_message_and_unreact_removes_it()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true, settings: MetaWebhooks.Settings());
        await host.Emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(host.Client.BaseAddress!, "webhooks/meta").ToString(),
            AppSecret: MetaWebhooks.AppSecret, WebhookVerifyToken: MetaWebhooks.VerifyToken));
        var (conversationId, personId) = host.Person(conversationIndex: 1);
        var messageId = host.Emulator.Data.FindConversation(conversationId)!.Messages[1].Id;
        const string read = """query($id: ID!) { message(id: $id) { metaId reactions { reaction users { metaId } } } }""";
        async Task<JsonNode?> ReactionsAsync() => (await host.QueryAsync(read, new { id = messageId })).At("data.message.reactions");
        async Task<JsonNode?> ReactionsOnceChangedAsync(JsonNode? before)
        {
            var reactions = await ReactionsAsync();
            for (var waiting = Stopwatch.StartNew(); waiting.Elapsed < WebhookDeadline && JsonNode.DeepEquals(reactions, before);)
            {
                // Waits for the webhook's delivery, which the emulator makes on its own schedule.
                await Task.Delay(50);
                reactions = await ReactionsAsync();
            }
            return reactions;
        }
        using var emulator = new HttpClient { BaseAddress = host.Emulator.BaseAddress };

        var before = await ReactionsAsync();
        host.Emulator.ResetRequests();
        var cached = await ReactionsAsync();
        var cachedCalls = host.UpstreamCalls.Count;
        (await emulator.PostAsJsonAsync("_emulator/reactions", new { pageId = host.Page.PageId, messageId, reaction = "love" })).EnsureSuccessStatusCode();
        var reacted = await ReactionsOnceChangedAsync(before);
        (await emulator.PostAsJsonAsync("_emulator/reactions", new { pageId = host.Page.PageId, messageId, action = "unreact" })).EnsureSuccessStatusCode();
        var unreacted = await ReactionsOnceChangedAsync(reacted);

        Assert.Null(before);
        Assert.Null(cached);
        Assert.Equal(0, cachedCalls);
        Assert.Equal($$"""[{"reaction":"love","users":[{"metaId":"{{personId}}"}]}]""", reacted?.Compact());
        Assert.Null(unreacted);
    }

    /// <summary>An Instagram person unsends a message: the webhook drops the cached answers holding it, so the next read of
    /// the message finds it deleted (no text) and the next read of its conversation no longer lists it; the deleted
    /// answer is not replaced by the last good one (fail-safe is for outages, not for Meta's "deleted").</summary>
    [Fact]
    public async Task An_unsent_message_reported_by_webhook_is_gone_from_the_next_reads_of_the_cached_message_and_thread()
    {
        await using var graph = await EmulatorServer.StartAsync();
        var page = graph.Data.Pages[0];
        // The Instagram account's webhooks name the account: its Page is what the conversation lookup needs.
        await using var host = await GatewayHost.StartAsync(configurePages: true, sharedEmulator: graph,
            settings: MetaWebhooks.Settings(($"Meta:Pages:{page.PageId}:InstagramAccountId", page.InstagramAccountId)));
        await host.Emulator.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: new Uri(host.Client.BaseAddress!, "webhooks/meta").ToString(),
            AppSecret: MetaWebhooks.AppSecret, WebhookVerifyToken: MetaWebhooks.VerifyToken));
        var conversation = host.Emulator.Data.Pages[0].Conversations.First(c => c.Platform == InboxPlatform.Instagram);
        var messageId = conversation.Messages.First(m => m.From.Id == conversation.Customer.Id).Id;
        const string message = """query($id: ID!) { message(id: $id) { metaId message } }""";
        const string thread = """query($id: ID!) { conversation(id: $id) { messages(first: 20) { nodes { metaId } } } }""";
        async Task<(JsonObject Message, string Thread)> ReadAsync()
            => (await host.QueryAsync(message, new { id = messageId }), (await host.QueryAsync(thread, new { id = conversation.Id })).ToJsonString());
        using var emulator = new HttpClient { BaseAddress = host.Emulator.BaseAddress };

        var before = await ReadAsync();
        host.Emulator.ResetRequests();
        var cached = await ReadAsync();
        var cachedCalls = host.UpstreamCalls.Count;
        (await emulator.PostAsJsonAsync("_emulator/unsends", new { pageId = page.PageId, messageId })).EnsureSuccessStatusCode();
        var after = await ReadAsync();
        for (var waiting = Stopwatch.StartNew();
             waiting.Elapsed < WebhookDeadline && (after.Thread.Contains(messageId, StringComparison.Ordinal) || after.Message.At("data.message.message") is not null);)
        {
            // Waits for the webhook's delivery, which the emulator makes on its own schedule.
            await Task.Delay(50);
            after = await ReadAsync();
        }

        Assert.Null(before.Message["errors"]);
        Assert.NotNull(before.Message.At("data.message.message"));
        Assert.Contains(messageId, before.Thread);
        Assert.Contains(messageId, cached.Thread);
        Assert.Equal(0, cachedCalls);
        Assert.DoesNotContain(messageId, after.Thread);
        // A deleted message keeps its id (it was delivered) but its details are gone, as Meta's read of it says.
        Assert.Null(after.Message["errors"]);
        Assert.Null(after.Message.At("data.message.message"));
    }
}
