using System.Text.Json.Nodes;
using Gateway.Inbox;
using Gateway.Sending;
using Gateway.Tests.Infrastructure;
using MetaGraph;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Sending;

/// <summary>A person's message the emulator made: its conversation, the person, the message and when it was written.</summary>
public sealed record Written(string ConversationId, string PersonId, string MessageId, DateTimeOffset At);

/// <summary>What the sending tests share: <c>sendMessage</c> as a frontend sends it, a person writing through the emulator (and
/// the gateway hearing of it), and the emulator's sends.</summary>
public static class Sends
{
    public const string SendMessage = """
        mutation Send($input: SendMessageInput!) {
          sendMessage(input: $input) {
            message { id metaId createdTime from { metaId } to { metaId } message attachments { type url } replyTo }
            errors {
              __typename
              ... on Error { message }
              ... on OutsideMessagingWindowError { closedAt humanAgentTagAllowed humanAgentWindowClosesAt }
              ... on SendOutcomeUnknownError { idempotencyKey }
              ... on SendRateLimitedError { retryAfter }
              ... on IdempotencyKeyReusedError { idempotencyKey }
            }
          }
        }
        """;

    /// <summary>A gateway with Meta's webhooks from its emulator, the Pages' tokens configured (for the person lookups the
    /// spine makes) and callers forwarding a Page token.</summary>
    public static async Task<GatewayHost> StartWithWebhooksAsync(EmulatorServer? sharedEmulator = null, bool onEmulatorClock = false,
        params (string Key, string? Value)[] settings)
    {
        var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(settings), configurePages: true, sharedEmulator: sharedEmulator,
            onEmulatorClock: onEmulatorClock);
        await host.ConnectEmulatorWebhooksAsync();
        return host;
    }

    public static Task<JsonObject> SendAsync(this GatewayHost host, object input, string? token = null)
        => host.QueryAsync(SendMessage, new { input }, token);

    /// <summary>The payload of a <c>sendMessage</c> answer that must have no GraphQL errors.</summary>
    public static JsonNode Payload(this JsonObject answer)
    {
        Assert.True(answer["errors"] is null, answer.ToJsonString());
        return answer.At("data.sendMessage")!;
    }

    /// <summary>The <c>__typename</c>s of a payload's typed errors.</summary>
    public static string[] ErrorTypes(this JsonNode payload)
        => payload["errors"] is JsonArray errors ? [.. errors.Select(e => e!["__typename"]!.GetValue<string>())] : [];

    /// <summary>A seeded Messenger person of the first Page writes now, by the emulator's clock, and the gateway has heard of it:
    /// it knows their window and their conversation, so a reply costs no read.</summary>
    public static async Task<Written> PersonWritesAsync(this GatewayHost host, int conversationIndex = 0, string text = "Is my order on its way?")
    {
        var (conversationId, personId) = host.Person(conversationIndex: conversationIndex);
        var answer = await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId, text });
        var written = new Written(conversationId, personId, answer["messageId"]!.GetValue<string>(),
            DateTimeOffset.FromUnixTimeMilliseconds(answer["timestamp"]!.GetValue<long>()));
        await host.HeardOfAsync(written);
        return written;
    }

    /// <summary>Waits until the gateway learnt from the spine that the person wrote, and which conversation is theirs.</summary>
    public static async Task HeardOfAsync(this GatewayHost host, Written written)
    {
        var windows = host.Services.GetRequiredService<MessagingWindows>();
        var people = host.Services.GetRequiredService<PersonConversations>();
        await Eventually.TrueAsync(() => windows.Of(host.Page.PageId, Platform.Messenger, written.PersonId)?.LastInbound >= written.At
            && people.PersonIn(written.ConversationId) is not null, TimeSpan.FromSeconds(30), "the gateway to hear of the person's message");
    }

    /// <summary>The emulator's Send API requests since its request log was last reset.</summary>
    public static IReadOnlyList<RecordedRequest> SendCalls(this GatewayHost host)
        => host.Emulator.Requests.Where(request => request.Method == "POST" && request.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
}
