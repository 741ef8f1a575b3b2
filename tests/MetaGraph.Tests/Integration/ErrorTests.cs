using System.Net;
using System.Net.Sockets;
using MetaGraph.Emulator;
using MetaGraph.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MetaGraph.Tests.Integration;

public sealed class ErrorTests : EmulatorTest
{
    [Fact]
    public async Task An_unknown_token_is_an_auth_error_that_does_not_repeat_the_token()
    {
        const string token = "EAAB-not-a-real-token-0123456789";

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            Client.GetConversationsAsync(token, Page.PageId, new ConversationsQuery(Platform.Messenger)));

        Assert.True(error.IsAuth);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(token, error.ToString());
    }

    [Fact]
    public async Task Another_pages_token_cannot_read_this_pages_inbox()
    {
        var other = Server.Seed[1];

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            Client.GetConversationsAsync(other.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger)));

        Assert.True(error.IsPermission || error.IsNotFound, $"code {error.Code}, subcode {error.Subcode}: {error.Message}");
        Assert.DoesNotContain(other.AccessToken, error.ToString());
    }

    [Fact]
    public async Task An_unknown_field_is_an_invalid_parameter()
    {
        var conversation = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
            new ConversationsQuery(Platform.Messenger, Limit: 1))).Value.Data[0].Id;

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            Client.GetNodeAsync<Conversation>(Page.AccessToken, conversation, FieldList.Of("id", "colour")));

        Assert.Equal(100, error.Code);
        Assert.Contains("colour", error.Message);
        Assert.DoesNotContain(Page.AccessToken, error.ToString());
    }

    [Fact]
    public async Task Transient_failures_are_retried_twice_then_surface()
    {
        Server.Configure(new EmulatorRuntimeConfig(FaultRate: 1));
        Server.ResetRequests();

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            Client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger)));

        Assert.True(error.IsTransient);
        Assert.InRange(error.HttpStatus, 500, 599);
        Assert.Equal(3, Server.Requests.Count);
        // The resilience pipeline logs each retry; none of it may carry the URL's token.
        Assert.All(Logs.Lines, line => Assert.DoesNotContain(Page.AccessToken, line));
    }

    [Fact]
    public async Task Client_errors_are_never_retried()
    {
        Server.ResetRequests();

        await Assert.ThrowsAsync<GraphApiException>(() => Client.GetNodeAsync<Message>(Page.AccessToken, "m_does_not_exist", null));

        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task An_unreachable_graph_api_is_a_transient_error_without_the_url()
    {
        using var logs = new CapturedLogs();
        await using var services = GraphClients.Register(new Uri($"http://127.0.0.1:{ClosedPort()}"), logs: logs);
        var client = services.GetRequiredService<IMetaGraphClient>();

        var error = await Assert.ThrowsAsync<GraphApiException>(() =>
            client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger)));

        Assert.True(error.IsTransient);
        Assert.Equal(503, error.HttpStatus);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain(Page.AccessToken, error.ToString());
        Assert.DoesNotContain(Page.AccessToken, string.Join('\n', logs.Lines));
    }

    [Fact]
    public async Task Logs_one_line_per_call_without_credentials()
    {
        await Client.GetConversationsAsync(Page.AccessToken, Page.PageId, new ConversationsQuery(Platform.Messenger, Limit: 2));
        await Assert.ThrowsAsync<GraphApiException>(() => Client.GetNodeAsync<Message>(Page.AccessToken, "m_does_not_exist", null));
        await Client.BatchAsync(Page.AccessToken, [new BatchRequest(RelativeUrl.Conversations(Page.PageId, new(Platform.Instagram)))]);

        var lines = Logs.Lines.Where(line => line.Contains($" {typeof(MetaGraphClient).FullName}: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains($"GET /{Page.PageId}/conversations answered 200", lines[0]);
        Assert.Contains("GET /m_does_not_exist failed with 400", lines[1]);
        Assert.Contains("POST / answered 200", lines[2]);
        Assert.All(Logs.Lines, line =>
        {
            Assert.DoesNotContain(Page.AccessToken, line);
            Assert.DoesNotContain("access_token", line);
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
