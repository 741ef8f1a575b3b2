using Gateway.Caching;
using Gateway.DataLoading;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Gateways with default settings (one per execution mode, each on its own emulator), started on first use and shared by
/// the tests of one class (<c>IClassFixture&lt;SharedGatewayHosts&gt;</c>): starting a gateway costs more than most tests.
/// Only for tests that read: they change no emulator data, settings or subscriptions. xunit runs one class's tests one
/// after another, and each test gets the gateway as a fresh one reads: no Graph answer or result kept by an earlier test (which
/// would stand in for a call the test counts) and an empty request log.
/// </summary>
public sealed class SharedGatewayHosts : IAsyncLifetime
{
    private readonly Dictionary<ExecutionMode, GatewayHost> _hosts = [];

    /// <summary>The shared gateway of this mode, with its Graph answer cache and its emulator's request log emptied.</summary>
    public async Task<GatewayHost> ForTestAsync(ExecutionMode mode = ExecutionMode.PushDown)
    {
        if (!_hosts.TryGetValue(mode, out var host))
        {
            host = await GatewayHost.StartAsync(mode: mode);
            _hosts[mode] = host;
        }
        await host.Services.GetRequiredService<IFusionCache>().ClearAsync(allowFailSafe: false);
        host.Services.GetRequiredService<ResponseCache>().Clear();
        host.Emulator.ResetRequests();
        return host;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}
