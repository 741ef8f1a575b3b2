using Gateway.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Tells a newcomer where to point a browser and what to paste, once the server listens.
/// Written to the console, not the log: the tokens are the emulator's demo tokens, and logs never carry tokens.</summary>
internal sealed class DemoBanner(DemoEmulator emulator, IServer server, IHostApplicationLifetime lifetime, IOptions<GraphQLHttpOptions> http) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        var graphql = address.TrimEnd('/') + http.Value.Path;
        var pages = string.Join(Environment.NewLine, emulator.Seed.Select(p => $"  page {p.PageId}  token {p.AccessToken}"));
        var pageId = emulator.Seed[0].PageId;
        var example = $$"""{ page(id: "{{pageId}}") { conversations(platform: MESSENGER, first: 3) { nodes { id snippet messages(first: 2) { nodes { from { name } message } } } } } }""";
        var subscription = $$"""subscription { messageReceived(pageId: "{{pageId}}") { id createdTime from { id name } message } }""";
        var write = $$"""curl -X POST {{emulator.BaseAddress}}_emulator/messages -H 'Content-Type: application/json' -d '{"pageId":"{{pageId}}","platform":"messenger","userId":"5550000000000001","text":"Hi! Is this still available?"}'""";
        Console.WriteLine($"""

            Meta conversations GraphQL gateway, on the {(emulator is EmbeddedEmulator ? "embedded" : "standalone")} Graph API emulator ({emulator.BaseAddress})
              GraphQL and Banana Cake Pop:  {graphql}
              SDL:                          {graphql}?sdl
            Demo pages (their tokens are configured here; a client may also send Authorization: Bearer <token>):
            {pages}
            Paste into Banana Cake Pop:
              {example}
            Live inbox: run this subscription in Banana Cake Pop,
              {subscription}
            then make a demo person write (the emulator's webhooks reach this gateway's /webhooks/meta):
              {write}

            """);
    }
}
