using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaGraph.Emulator.Data;

namespace Gateway.Tests.Infrastructure;

/// <summary>Meta-shaped, signed webhook deliveries, posted to the gateway the way Meta posts them.</summary>
public static class MetaWebhooks
{
    public const string AppSecret = "test-app-secret-4f1c";
    public const string VerifyToken = "test-verify-token-9a2e";

    /// <summary>Gateway settings for webhooks: the app secret, the verify token and server-side Page tokens (for the
    /// person-to-conversation lookup).</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Meta:AppSecret"] = AppSecret,
            ["Meta:Webhooks:VerifyToken"] = VerifyToken,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>A person's conversation on Messenger with the first Page, and that person's PSID.</summary>
    public static (string ConversationId, string PersonId) Person(this GatewayHost host, int pageIndex = 0, int conversationIndex = 0)
    {
        var conversation = host.Emulator.Data.Pages[pageIndex].Conversations.Where(c => c.Platform == InboxPlatform.Messenger).ElementAt(conversationIndex);
        return (conversation.Id, conversation.Customer.Id);
    }

    /// <summary>A <c>messaging[]</c> item: a person's message to the Page (or the Page's echo).</summary>
    public static object Message(string pageId, string personId, string mid, string text, long timestamp, bool echo = false, object[]? attachments = null)
        => new
        {
            sender = new { id = echo ? pageId : personId },
            recipient = new { id = echo ? personId : pageId },
            timestamp,
            message = echo
                ? (object)new { mid, text, is_echo = true }
                : attachments is null ? new { mid, text } : new { mid, text, attachments },
        };

    /// <summary><c>{"object":"page","entry":[{"id":page,"time":…,"messaging":[…]}]}</c>.</summary>
    public static byte[] Delivery(string pageId, params object[] messaging)
        => JsonSerializer.SerializeToUtf8Bytes(new { @object = "page", entry = new[] { new { id = pageId, time = 1_700_000_000_000L, messaging } } });

    public static string Sign(byte[] body, string secret = AppSecret)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>POSTs a delivery signed with the test app secret, or with the signature given ("" for none).</summary>
    public static Task<HttpResponseMessage> PostWebhookAsync(this GatewayHost host, byte[] body, string? signature = null)
        => host.Client.PostWebhookAsync(body, signature);

    /// <summary>POSTs a delivery to the gateway this client talks to (one running as its own process, say).</summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(this HttpClient gateway, byte[] body, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/meta") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        signature ??= Sign(body);
        if (signature.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        }
        return await gateway.SendAsync(request);
    }

    /// <summary>A <c>graphql-transport-ws</c> subscriber (the first Page's token in <c>connection_init</c>, unless another
    /// payload is given) whose subscription <c>"1"</c> the gateway holds by the time this returns.</summary>
    public static async Task<GraphQLWsClient> SubscribeAsync(this GatewayHost host, string query, object? variables, object? initPayload = null)
    {
        var before = Hub(host).SubscriptionCount;
        var subscriber = await GraphQLWsClient.ConnectAndInitAsync(host, initPayload ?? new { Authorization = "Bearer " + host.Page.AccessToken });
        await subscriber.SubscribeAsync("1", query, variables);
        await host.WaitForSubscriptionsAsync(before + 1);
        return subscriber;
    }

    /// <summary>Waits until the hub holds <paramref name="count"/> subscriptions, i.e. the subscribers are listening.</summary>
    public static async Task WaitForSubscriptionsAsync(this GatewayHost host, int count)
    {
        var hub = Hub(host);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (hub.SubscriptionCount != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} subscriptions, the hub has {hub.SubscriptionCount}.");
            await Task.Delay(10);
        }
    }

    private static Gateway.Inbox.InboxEventHub Hub(GatewayHost host)
        => host.Services.GetService(typeof(Gateway.Inbox.InboxEventHub)) as Gateway.Inbox.InboxEventHub
            ?? throw new InvalidOperationException("No InboxEventHub.");
}
