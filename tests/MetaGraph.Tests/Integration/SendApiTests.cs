using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaGraph.Tests.Integration;

/// <summary>The Send API client against the emulator: Meta's form, one attempt only (a lost answer is never sent again), and
/// every failure saying whether the request may have taken effect.</summary>
public sealed class SendApiTests : EmulatorTest
{
    [Fact]
    public async Task A_reply_is_posted_in_Metas_form_and_answers_the_delivered_message_id()
    {
        var written = await PersonWritesAsync();
        await using var services = SendServices(Server.BaseAddress);

        var answer = await services.GetRequiredService<IMetaSendClient>().SendAsync(Page.AccessToken, Page.PageId, new SendRequest(
            written.Person, new OutgoingMessage("On its way.", ReplyTo: written.Message, Metadata: "order:4521")));

        var sent = Assert.Single(Server.SentMessages);
        Assert.Equal((written.Person, sent.MessageId), (answer.Value.RecipientId, answer.Value.MessageId));
        Assert.Equal(("RESPONSE", "On its way.", written.Message, "order:4521"), (sent.MessagingType, sent.Text, sent.ReplyTo, sent.Metadata));
    }

    [Fact]
    public async Task A_send_whose_connection_is_reset_after_delivery_is_not_sent_again_and_may_have_taken_effect()
    {
        var written = await PersonWritesAsync();
        await using var services = SendServices(Server.BaseAddress);
        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, AnswerLossMode.Reset)));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => services.GetRequiredService<IMetaSendClient>()
            .SendAsync(Page.AccessToken, Page.PageId, new SendRequest(written.Person, new OutgoingMessage("Did this arrive?"))));

        Assert.True(error.MayHaveTakenEffect);
        Assert.True(Assert.Single(Server.SentMessages).AnswerLost);
    }

    [Fact]
    public async Task A_send_whose_answer_never_comes_gives_up_after_SendTimeout_without_sending_again()
    {
        var written = await PersonWritesAsync();
        await using var services = SendServices(Server.BaseAddress, TimeSpan.FromSeconds(1));
        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, AnswerLossMode.Hang)));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => services.GetRequiredService<IMetaSendClient>()
            .SendAsync(Page.AccessToken, Page.PageId, new SendRequest(written.Person, new OutgoingMessage("Hello?"))));

        Assert.True(error.MayHaveTakenEffect);
        Assert.Equal("The Graph API did not answer in time.", error.Message);
        Assert.Single(Server.SentMessages);
    }

    [Fact]
    public async Task Metas_refusal_outside_the_window_is_recognised_and_cannot_have_taken_effect()
    {
        // Seeded people wrote before the emulator's seed time, days ago by the wall clock.
        var person = Server.Data.Pages[0].Conversations.First(c => c.Platform == Emulator.Data.InboxPlatform.Messenger).Customer.Id;
        await using var services = SendServices(Server.BaseAddress);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => services.GetRequiredService<IMetaSendClient>()
            .SendAsync(Page.AccessToken, Page.PageId, new SendRequest(person, new OutgoingMessage("Too late?"))));

        Assert.True(error.IsOutsideMessagingWindow);
        Assert.False(error.MayHaveTakenEffect);
        Assert.Empty(Server.SentMessages);
    }

    [Fact]
    public async Task A_send_that_cannot_connect_never_left_and_cannot_have_taken_effect()
    {
        var closed = ClosedPort();
        await using var services = SendServices(new Uri($"http://127.0.0.1:{closed}/"));

        var error = await Assert.ThrowsAsync<GraphApiException>(() => services.GetRequiredService<IMetaSendClient>()
            .SendAsync(Page.AccessToken, Page.PageId, new SendRequest("5550000000000001", new OutgoingMessage("Anyone?"))));

        Assert.True(error.NeverSent);
        Assert.False(error.MayHaveTakenEffect);
    }

    [Theory]
    [InlineData(AttachmentKinds.Audio, MetaApi.SendMedia)]
    [InlineData(AttachmentKinds.Video, MetaApi.SendMedia)]
    [InlineData(AttachmentKinds.Image, MetaApi.Send)]
    [InlineData(AttachmentKinds.File, MetaApi.Send)]
    public void Audio_and_video_are_priced_against_the_media_allowance_and_the_rest_against_the_main_one(string type, MetaApi api)
        => Assert.Equal(api, new SendRequest("1", new OutgoingMessage(null, new OutgoingAttachment(type, "https://e.com/f"))).Api);

    /// <summary>The send client as an application registers it, beside the read client whose options it shares.</summary>
    private static ServiceProvider SendServices(Uri graphApiBaseUrl, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddMetaGraphClient(options =>
        {
            options.GraphApiBaseUrl = graphApiBaseUrl.ToString();
            options.SendTimeout = timeout ?? options.SendTimeout;
        });
        services.AddMetaSendClient();
        return services.BuildServiceProvider();
    }

    /// <summary>A seeded Messenger person of the first Page writes now, which opens their window.</summary>
    private async Task<(string Person, string Message)> PersonWritesAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var conversation = Server.Data.Pages[0].Conversations.First(c => c.Platform == Emulator.Data.InboxPlatform.Messenger).Id;
        using var response = await http.PostAsJsonAsync("_emulator/messages", new { pageId = Page.PageId, platform = "messenger", conversationId = conversation, text = "Where is it?" });
        var written = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (written["userId"]!.GetValue<string>(), written["messageId"]!.GetValue<string>());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
