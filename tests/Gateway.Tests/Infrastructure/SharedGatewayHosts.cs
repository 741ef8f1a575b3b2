using Gateway.DataLoading;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Gateways with default settings (one per execution mode, each on its own emulator), started on first use and shared by
/// the tests of one class (<c>IClassFixture&lt;SharedGatewayHosts&gt;</c>): starting a gateway costs more than most tests.
/// Only for tests that read: they change no emulator data, settings or subscriptions, and assert no Graph call count but
/// "none", since an answer cached by an earlier test may stand in for a call. xunit runs one class's tests one after
/// another, so the request log a test finds emptied holds only its own calls.
/// </summary>
public sealed class SharedGatewayHosts : IAsyncLifetime
{
    private readonly Dictionary<ExecutionMode, GatewayHost> _hosts = [];

    /// <summary>The shared gateway of this mode, its emulator's request log emptied for the calling test.</summary>
    public async Task<GatewayHost> ForTestAsync(ExecutionMode mode = ExecutionMode.PushDown)
    {
        if (!_hosts.TryGetValue(mode, out var host))
        {
            host = await GatewayHost.StartAsync(mode: mode);
            _hosts[mode] = host;
        }
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
