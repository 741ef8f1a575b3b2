using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator.Tests.Support;

namespace MetaGraph.Emulator.Tests;

/// <summary>The lost-answer fault for exactly-once tests: the send is processed (appended, echoed, logged) and the answer never
/// arrives, by a reset connection or a request held until the client gives up; counted, so it is deterministic.</summary>
public sealed class AnswerLossTests : EmulatorTest
{
    [Fact]
    public async Task With_reset_the_message_is_appended_and_echoed_but_the_connection_is_reset()
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var written = await PersonWritesAsync();
        await receiver.NextPostAsync();
        var person = written["userId"]!.GetValue<string>();
        await Http.PostAsJsonAsync("_emulator/config", new { sendAnswerLoss = new { count = 1, mode = "reset" } });

        var lost = await Assert.ThrowsAsync<HttpRequestException>(() => SendTextAsync(person, "Did this arrive?"));
        var echo = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var thread = (await GetAsync($"{written["conversationId"]}?fields=messages.limit(1){{message,from}}")).Json["messages"]!["data"]![0]!;
        var next = await SendTextAsync(person, "And this?");

        Assert.NotNull(lost);
        Assert.Equal("Did this arrive?", thread["message"]!.GetValue<string>());
        Assert.Equal(Page.PageId, thread["from"]!["id"]!.GetValue<string>());
        Assert.True(echo["is_echo"]!.GetValue<bool>());
        Assert.Equal("Did this arrive?", echo["text"]!.GetValue<string>());
        var sends = Server.SentMessages;
        Assert.Equal([true, false], sends.Select(s => s.AnswerLost));
        Assert.Equal(echo["mid"]!.GetValue<string>(), sends[0].MessageId);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(sends[1].MessageId, next.Json["message_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_hang_the_request_is_held_after_processing_until_the_client_gives_up()
    {
        await using var receiver = await ReceiveWebhooksAsync();
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        await receiver.NextPostAsync();
        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(1, AnswerLossMode.Hang)));
        using var giveUp = new CancellationTokenSource();

        var send = Http.PostAsJsonAsync($"{Version}/{Page.PageId}/messages?access_token={Page.AccessToken}",
            new { recipient = new { id = person }, messaging_type = "RESPONSE", message = new { text = "Hello?" } }, giveUp.Token);
        var echo = (await receiver.NextPostAsync()).Events[0]["message"]!;
        var stillWaiting = !send.IsCompleted;
        await giveUp.CancelAsync();

        Assert.True(stillWaiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal("Hello?", echo["text"]!.GetValue<string>());
        Assert.True(Assert.Single(Server.SentMessages).AnswerLost);
    }

    [Fact]
    public async Task Only_message_sends_use_up_the_count_and_the_config_shows_what_is_left()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(2)));

        var typing = await SendMessageAsync(new { recipient = new { id = person }, sender_action = "typing_on" });
        await Assert.ThrowsAsync<HttpRequestException>(() => SendTextAsync(person, "one"));
        var left = JsonNode.Parse(await (await Http.PostAsJsonAsync("_emulator/config", new { })).Content.ReadAsStringAsync())!["sendAnswerLoss"];
        await Assert.ThrowsAsync<HttpRequestException>(() => SendTextAsync(person, "two"));
        var answered = await SendTextAsync(person, "three");

        Assert.Equal(HttpStatusCode.OK, typing.Status);
        Assert.Equal("""{"count":1,"mode":"reset"}""", left!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Null(Server.Runtime.SendAnswerLoss);
        Assert.Equal(["one", "two", "three"], Server.SentMessages.Where(s => s.Text is not null).Select(s => s.Text));
    }

    [Fact]
    public async Task A_count_of_0_stops_losing_answers()
    {
        var person = (await PersonWritesAsync())["userId"]!.GetValue<string>();
        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(3)));

        Server.Configure(new EmulatorRuntimeConfig(SendAnswerLoss: new SendAnswerLoss(0)));
        var answer = await SendTextAsync(person);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }
}
