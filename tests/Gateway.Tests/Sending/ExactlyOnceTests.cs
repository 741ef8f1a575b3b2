using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using MetaGraph.Emulator;

namespace Gateway.Tests.Sending;

/// <summary>
/// Exactly once: Meta's Send API is not idempotent, so a request that may have reached Meta is never sent again, an
/// <c>idempotencyKey</c> returns its first send's result (at once, or once known), and a lost answer is settled by the
/// message's echo. Counted where it matters: the messages the emulator delivered.
/// </summary>
public sealed class ExactlyOnceTests
{
    private static readonly (string, string?) ShortSendTimeout = ("Meta:SendTimeout", "00:00:02");

    [Theory]
    [InlineData(AnswerLossMode.Hang)]
    [InlineData(AnswerLossMode.Reset)]
    public async Task Ten_concurrent_duplicates_and_their_retries_after_a_lost_answer_deliver_exactly_one_message(AnswerLossMode mode)
    {
        await using var host = await Sends.StartWithWebhooksAsync(settings: [ShortSendTimeout]);
        var written = await host.PersonWritesAsync();
        host.Emulator.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, mode)));
        var input = new { conversationId = written.ConversationId, text = "Exactly once.", idempotencyKey = "reply-7f3a" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => host.SendAsync(input)));
        var retried = await DeliveredOnRetryAsync(host, input);

        var sent = Assert.Single(host.Emulator.SentMessages);
        Assert.True(sent.AnswerLost);
        Assert.Equal(sent.MessageId, retried);
        Assert.All(answers, answer => AssertDeliveredOrUnknown(answer, sent.MessageId!));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Slow)]
    public async Task Across_two_instances_on_Redis_duplicates_and_retries_after_a_lost_answer_deliver_exactly_one_message()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        (string, string?) shared = ("ConnectionStrings:Redis", redis.ConnectionString);
        await using var a = await Sends.StartWithWebhooksAsync(emulator, settings: [shared, ShortSendTimeout]);
        await using var b = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(shared, ShortSendTimeout), configurePages: true, sharedEmulator: emulator);
        var written = await a.PersonWritesAsync();
        emulator.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, AnswerLossMode.Hang)));
        var input = new { conversationId = written.ConversationId, text = "Once, on any instance.", idempotencyKey = "reply-9c21" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).SendAsync(input)));
        var onA = await DeliveredOnRetryAsync(a, input);
        var onB = await DeliveredOnRetryAsync(b, input);

        var sent = Assert.Single(emulator.SentMessages);
        Assert.Equal((sent.MessageId, sent.MessageId), (onA, onB));
        Assert.All(answers, answer => AssertDeliveredOrUnknown(answer, sent.MessageId!));
    }

    [Fact]
    public async Task The_same_key_again_returns_the_first_message_and_for_another_message_is_refused_and_nothing_more_is_sent()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        var first = new { conversationId = written.ConversationId, text = "First.", idempotencyKey = "reply-1" };

        var sent = (await host.SendAsync(first)).Payload();
        var again = (await host.SendAsync(first)).Payload();
        var other = (await host.SendAsync(new { conversationId = written.ConversationId, text = "Other.", idempotencyKey = "reply-1" })).Payload();

        Assert.Equal(sent["message"]!.ToJsonString(), again["message"]!.ToJsonString());
        Assert.Equal(["IdempotencyKeyReusedError"], other.ErrorTypes());
        Assert.Equal("reply-1", other.At("errors.0.idempotencyKey")!.GetValue<string>());
        Assert.Equal("First.", Assert.Single(host.Emulator.SentMessages).Text);
    }

    [Fact]
    public async Task Without_a_key_a_lost_answer_is_reported_unknown_and_the_gateway_never_sends_it_again()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        host.Emulator.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, AnswerLossMode.Reset)));

        var payload = (await host.SendAsync(new { conversationId = written.ConversationId, text = "No key." })).Payload();

        Assert.Equal(["SendOutcomeUnknownError"], payload.ErrorTypes());
        Assert.Null(payload.At("errors.0.idempotencyKey"));
        Assert.Single(host.SendCalls());
        Assert.True(Assert.Single(host.Emulator.SentMessages).AnswerLost);
    }

    [Fact]
    public async Task A_send_Meta_refused_frees_its_key_for_a_later_send()
    {
        await using var host = await Sends.StartWithWebhooksAsync();
        var written = await host.PersonWritesAsync();
        var input = new { conversationId = written.ConversationId, text = "Can you hear me?", idempotencyKey = "reply-551" };
        await Availability(host, written, "blocked");
        var refused = (await host.SendAsync(input)).Payload();
        await Availability(host, written, "available");

        var delivered = (await host.SendAsync(input)).Payload();

        Assert.Equal(["RecipientUnavailableError"], refused.ErrorTypes());
        Assert.Null(delivered["errors"]);
        Assert.Equal(Assert.Single(host.Emulator.SentMessages).MessageId, delivered.At("message.metaId")!.GetValue<string>());
    }

    /// <summary>Sends <paramref name="input"/> again until the answer is the delivered message; its Meta id.</summary>
    private static async Task<string> DeliveredOnRetryAsync(GatewayHost host, object input)
        => (await Eventually.ObjectAsync(async () => (await host.SendAsync(input)).Payload().At("message.metaId")?.GetValue<string>(),
            TimeSpan.FromSeconds(30), "a retry with the same key to return the delivered message"));

    private static void AssertDeliveredOrUnknown(JsonObject answer, string messageId)
    {
        var payload = answer.Payload();
        if (payload["message"] is { } message)
        {
            Assert.Equal(messageId, message["metaId"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(["SendOutcomeUnknownError"], payload.ErrorTypes());
        }
    }

    private static Task<JsonNode> Availability(GatewayHost host, Written written, string availability)
        => EmulatorLive.ChangeAsync(host.Emulator.BaseAddress, "availability",
            new { pageId = host.Page.PageId, platform = "messenger", conversationId = written.ConversationId, availability });
}
