using System.Text.RegularExpressions;
using Gateway.Webhooks;
using MetaGraph;
using MetaGraph.Emulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// The demo: once the gateway listens, the emulator's webhooks (embedded or standalone) are pointed at the gateway's own
/// <c>/webhooks/meta</c> (after Meta's handshake), so a message made with <c>POST /_emulator/messages</c> reaches
/// subscribers the way a real one does.
/// </summary>
internal sealed partial class DemoEmulatorWebhooks(
    DemoEmulator emulator, IServer server, IHostApplicationLifetime lifetime, IOptions<WebhookOptions> options,
    IOptions<MetaGraphOptions> meta, ILogger<DemoEmulatorWebhooks> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = ConnectAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        // A wildcard listening address is not one to call: the emulator runs on this machine, so loopback reaches it.
        var url = AnyHost().Replace(address.TrimEnd('/'), "${scheme}127.0.0.1") + options.Value.Path;
        try
        {
            await emulator.ConfigureAsync(new EmulatorRuntimeConfig(
                WebhookUrl: url, AppSecret: meta.Value.AppSecret, WebhookVerifyToken: options.Value.VerifyToken), cancellationToken);
            logger.LogInformation("The emulator delivers its webhooks to {Url}.", url);
        }
        catch (Exception error) when (error is EmulatorConfigException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("The emulator could not deliver webhooks to {Url}: {Problem}", url, error.Message);
        }
    }

    [GeneratedRegex(@"^(?<scheme>https?://)(\[::\]|0\.0\.0\.0|\+|\*)")]
    private static partial Regex AnyHost();
}
