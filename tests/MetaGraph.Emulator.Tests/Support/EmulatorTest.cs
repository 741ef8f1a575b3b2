using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Data;

namespace MetaGraph.Emulator.Tests.Support;

/// <summary>A fresh emulator on a free loopback port for each test, read with a plain <see cref="HttpClient"/>.</summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    public const string Version = "v25.0";

    protected EmulatorServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    /// <summary>The first seeded Page; the second one is <c>Server.Seed[1]</c>.</summary>
    protected SeedPage Page => Server.Seed[0];

    protected PageData PageData => Server.Data.Pages[0];

    protected virtual EmulatorOptions Options => new();

    public virtual async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(Options);
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>GET <c>/{version}/{relativeUrl}</c> with the Page's token (or <paramref name="token"/>; "" sends none).</summary>
    protected async Task<GraphAnswer> GetAsync(string relativeUrl, string? token = null)
    {
        token ??= Page.AccessToken;
        var separator = relativeUrl.Contains('?') ? '&' : '?';
        var url = token.Length == 0 ? $"{Version}/{relativeUrl}" : $"{Version}/{relativeUrl}{separator}access_token={Uri.EscapeDataString(token)}";
        return await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
    }

    /// <summary>GET an absolute or root-relative URL as it is.</summary>
    protected async Task<GraphAnswer> GetUrlAsync(string url) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>A batch <c>POST /</c> with form fields; <paramref name="batch"/> is sent as the raw <c>batch</c> value.</summary>
    protected async Task<GraphAnswer> BatchAsync(string batch, string? token = null, string path = "")
    {
        var form = new Dictionary<string, string> { ["batch"] = batch };
        if ((token ?? Page.AccessToken) is { Length: > 0 } value)
        {
            form["access_token"] = value;
        }
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });
    }

    protected static string BatchOf(params string[] relativeUrls)
        => new JsonArray(relativeUrls.Select(url => (JsonNode)new JsonObject { ["method"] = "GET", ["relative_url"] = url }).ToArray()).ToJsonString();

    protected async Task<GraphAnswer> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new GraphAnswer(response.StatusCode, text, response.Content.Headers.ContentType?.ToString(),
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Every item of an edge, following <c>paging.next</c> links as Graph returned them.</summary>
    protected async Task<List<JsonNode>> FollowNextAsync(string relativeUrl)
    {
        var items = new List<JsonNode>();
        var answer = await GetAsync(relativeUrl);
        for (var pages = 0; pages < 1000; pages++)
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            items.AddRange(answer.Json["data"]!.AsArray().Select(item => item!));
            if (answer.Json["paging"]?["next"]?.GetValue<string>() is not { } next)
            {
                break;
            }
            answer = await GetUrlAsync(next);
        }
        return items;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to an emulator path such as <c>_emulator/messages</c>.</summary>
    protected async Task<GraphAnswer> PostJsonAsync(string path, object body)
        => await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

    /// <summary>A change of the living inbox (<c>messages</c>, <c>reads</c>, <c>reactions</c>, <c>unsends</c>) that must succeed.</summary>
    protected async Task<JsonNode> ChangeAsync(string kind, object body)
    {
        var answer = await PostJsonAsync($"_emulator/{kind}", body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return answer.Json;
    }

    protected ConversationData LongConversation(InboxPlatform platform = InboxPlatform.Messenger)
        => PageData.Folder(platform).First(c => c.MessageCount > 30);

    /// <summary>A Send API call: <paramref name="body"/> as JSON to <c>/{version}/{node}/messages</c> (the Page by default) with
    /// the Page's token in the query string.</summary>
    protected async Task<GraphAnswer> SendMessageAsync(object body, string? node = null)
        => await SendAsync(new HttpRequestMessage(HttpMethod.Post,
            $"{Version}/{node ?? Page.PageId}/messages?access_token={Uri.EscapeDataString(Page.AccessToken)}") { Content = JsonContent.Create(body) });

    /// <summary>A text <c>RESPONSE</c> from the Page to this person.</summary>
    protected async Task<GraphAnswer> SendTextAsync(string recipientId, string text = "On its way!")
        => await SendMessageAsync(new { recipient = new { id = recipientId }, messaging_type = "RESPONSE", message = new { text } });

    /// <summary>An attachment <c>RESPONSE</c> from the Page to this person, sent by URL.</summary>
    protected async Task<GraphAnswer> SendAttachmentAsync(string recipientId, string type, string url, bool isReusable = false)
        => await SendMessageAsync(new
        {
            recipient = new { id = recipientId },
            messaging_type = "RESPONSE",
            message = new { attachment = new { type, payload = new { url, is_reusable = isReusable } } },
        });

    /// <summary>A person writes to the Page now, opening the messaging window; without <paramref name="userId"/> a new person.</summary>
    protected async Task<JsonNode> PersonWritesAsync(string platform = "messenger", string? userId = null, string text = "Hi! Is this still available?")
        => await ChangeAsync("messages", new { pageId = Page.PageId, platform, userId, text });

    /// <summary>A webhook receiver this emulator delivers to from now on.</summary>
    protected async Task<WebhookReceiver> ReceiveWebhooksAsync()
    {
        var receiver = await WebhookReceiver.StartAsync();
        await Server.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: receiver.Url, AppSecret: WebhookReceiver.AppSecret,
            WebhookVerifyToken: WebhookReceiver.VerifyToken));
        return receiver;
    }
}
