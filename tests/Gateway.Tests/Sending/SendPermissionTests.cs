using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Sending;

/// <summary>Who may send, in managed mode: an API key with <c>SendPages</c>, or a JWT with a <c>send:&lt;pageId&gt;</c> scope;
/// a caller that may only read is refused with <c>FORBIDDEN</c> and nothing reaches Meta.</summary>
public sealed class SendPermissionTests
{
    private const string Page = "104000000000001";
    private const string ReaderKey = "reader-key-0123456789abcdef";
    private const string AgentKey = "agent-key-0123456789abcdef";
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public async Task A_read_only_api_key_is_refused_with_FORBIDDEN_and_no_Send_call_is_made()
    {
        await using var host = await StartAsync();
        var written = await host.PersonWritesAsync();
        host.Emulator.ResetRequests();

        var message = await SendAsync(host, Sends.SendMessage, new { input = new { conversationId = written.ConversationId, text = "Not mine to send." } }, ApiKey(ReaderKey));
        var seen = await SendAsync(host, "mutation($id: ID!) { markConversationSeen(input: { conversationId: $id }) { errors { __typename } } }",
            new { id = written.ConversationId }, ApiKey(ReaderKey));
        var read = await SendAsync(host, "query($id: ID!) { conversation(id: $id) { snippet } }", new { id = written.ConversationId }, ApiKey(ReaderKey));

        Assert.Equal("FORBIDDEN", message.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Contains("SendPages", message.At("errors.0.message")!.GetValue<string>());
        Assert.Equal("FORBIDDEN", seen.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Null(read["errors"]);
        Assert.Empty(host.SendCalls());
    }

    [Fact]
    public async Task An_api_key_with_SendPages_sends_as_its_page_and_is_refused_for_another()
    {
        await using var host = await StartAsync();
        var written = await host.PersonWritesAsync();
        var other = host.Emulator.Seed[1].PageId;

        var sent = await SendAsync(host, Sends.SendMessage, new { input = new { conversationId = written.ConversationId, text = "From the agent." } }, ApiKey(AgentKey));
        var refused = await SendAsync(host, Sends.SendMessage,
            new { input = new { recipient = new { pageId = other, platform = "MESSENGER", userId = written.PersonId }, text = "Elsewhere." } }, ApiKey(AgentKey));

        Assert.Null(sent.Payload()["errors"]);
        Assert.Equal("FORBIDDEN", refused.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Contains($"may not send as Page {other}", refused.At("errors.0.message")!.GetValue<string>());
        Assert.Equal("From the agent.", Assert.Single(host.Emulator.SentMessages).Text);
    }

    [Fact]
    public async Task A_jwt_sends_with_a_send_scope_for_its_page_and_is_refused_without_one()
    {
        await using var host = await StartAsync();
        var written = await host.PersonWritesAsync();
        var input = new { input = new { conversationId = written.ConversationId, text = "From a JWT." } };

        var withScope = await SendAsync(host, Sends.SendMessage, input, Bearer(Jwt(new Claim("scope", $"inbox:read send:{Page}"))));
        var withoutScope = await SendAsync(host, Sends.SendMessage, input, Bearer(Jwt()));

        Assert.Null(withScope.Payload()["errors"]);
        Assert.Equal("FORBIDDEN", withoutScope.At("errors.0.extensions.code")!.GetValue<string>());
        Assert.Single(host.Emulator.SentMessages);
    }

    private static async Task<GatewayHost> StartAsync()
    {
        var host = await GatewayHost.StartAsync(configurePages: true, settings: MetaWebhooks.Settings(
            ("Gateway:Auth:Required", "true"),
            ("Gateway:Auth:ApiKeys:reader:Key", ReaderKey),
            ("Gateway:Auth:ApiKeys:reader:Pages:0", Page),
            ("Gateway:Auth:ApiKeys:agent:Key", AgentKey),
            ("Gateway:Auth:ApiKeys:agent:Pages:0", Page),
            ("Gateway:Auth:ApiKeys:agent:SendPages:0", Page),
            ("Gateway:Auth:Jwt:SigningKey", SigningKey),
            ("Gateway:Auth:Jwt:Issuer", "https://id.example.test"),
            ("Gateway:Auth:Jwt:Audience", "meta-gateway")));
        await host.ConnectEmulatorWebhooksAsync();
        return host;
    }

    private static string Jwt(params Claim[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://id.example.test",
        Audience = "meta-gateway",
        Subject = new ClaimsIdentity([new Claim("sub", "inbox-frontend"), new Claim("pages", Page), .. claims]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
    });

    private static Action<HttpRequestMessage> ApiKey(string key) => request => request.Headers.Add("X-Api-Key", key);

    private static Action<HttpRequestMessage> Bearer(string jwt) => request => request.Headers.Authorization = new("Bearer", jwt);

    private static async Task<JsonObject> SendAsync(GatewayHost host, string query, object variables, Action<HttpRequestMessage> authenticate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        authenticate(request);
        using var response = await host.Client.SendAsync(request);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
