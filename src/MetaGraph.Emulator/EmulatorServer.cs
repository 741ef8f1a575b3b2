using System.Net.Sockets;
using MetaGraph.Emulator.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace MetaGraph.Emulator;

/// <summary>An emulator on Kestrel in this process, for the gateway's demo mode, tests and benchmarks.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly EmulatorState _state;
    private readonly string _url;
    private Socket? _reserved;
    private WebApplication? _app;
    private Uri? _baseAddress;

    private EmulatorServer(EmulatorState state, string url, Socket? reserved = null)
    {
        _state = state;
        _url = url;
        _reserved = reserved;
    }

    /// <summary>The root URL with a trailing slash; Graph paths live under <c>{BaseAddress}{version}/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The emulator is not started: call StartAsync first.");

    public IReadOnlyList<SeedPage> Seed => _state.Seed;

    /// <summary>The data now, as the Graph API serves it: the seeded inboxes and every change made at run time.</summary>
    public InboxData Data => _state.Data;

    /// <summary>The behaviour in force, as <c>POST /_emulator/config</c> answers it (without secrets).</summary>
    public EmulatorRuntimeConfig Runtime => _state.Runtime.WithoutSecrets();

    public IReadOnlyList<RecordedRequest> Requests => _state.Requests;

    public void ResetRequests() => _state.ResetRequests();

    /// <summary>Every Send API call processed since the last reset, in order (<c>GET /_emulator/sends</c>).</summary>
    public IReadOnlyList<SentMessage> SentMessages => _state.SentMessages;

    public void ResetSentMessages() => _state.ResetSentMessages();

    /// <summary>The emulator's "now" (<c>/_emulator/clock</c>): move it or stop it to test messaging windows and rate limits.</summary>
    public EmulatorClock Clock => _state.Clock;

    /// <summary>Graph requests (since the last reset) whose caller went away before they were answered.</summary>
    public int AbandonedRequests => _state.AbandonedRequests;

    /// <summary>Changes latency, faults and rate limits at once; setting a webhook URL needs <see cref="ConfigureAsync"/>.</summary>
    /// <exception cref="EmulatorConfigException">The configuration names a webhook URL.</exception>
    public void Configure(EmulatorRuntimeConfig config)
    {
        if (!string.IsNullOrEmpty(config.WebhookUrl))
        {
            throw new EmulatorConfigException("A webhook URL is verified over HTTP first: set it with ConfigureAsync.");
        }
        _state.ConfigureAsync(config).GetAwaiter().GetResult();
    }

    /// <summary>Changes behaviour at run time, as <c>POST /_emulator/config</c> does. To have this emulator deliver webhooks
    /// to a gateway: <c>ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: "http://host/webhooks/meta", AppSecret: secret,
    /// WebhookVerifyToken: token))</c>, once the receiver answers, since the handshake happens first.</summary>
    /// <exception cref="EmulatorConfigException">A webhook setting is invalid, or the URL failed the verification handshake.</exception>
    public Task ConfigureAsync(EmulatorRuntimeConfig config, CancellationToken cancellationToken = default)
        => _state.ConfigureAsync(config, cancellationToken);

    /// <summary>Starts an emulator; the default URL picks a free loopback port.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default)
    {
        var server = Create(options, url);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>An emulator whose data (and <see cref="Seed"/>) exists and which listens once <see cref="StartAsync(CancellationToken)"/>
    /// runs: a host that owns it starts and stops it with itself. Its web host is built only then, after the owner's.</summary>
    public static EmulatorServer Create(EmulatorOptions? options = null, string url = "http://127.0.0.1:0")
        => new(new EmulatorState(options), url);

    /// <summary>As <see cref="Create(EmulatorOptions?, string)"/>, on a socket already bound (so the address it is known by
    /// cannot be taken before it listens); Kestrel owns the socket once started.</summary>
    public static EmulatorServer Create(EmulatorOptions? options, Socket reserved)
        => new(new EmulatorState(options), $"http://{reserved.LocalEndPoint}", reserved);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // No args: an embedding process's command line and appsettings are not the emulator's.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_url);
        if (_reserved is { } reserved)
        {
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = _ => reserved);
            _reserved = null;
        }
        _app = builder.Build();
        _app.MapMetaGraphEmulator(_state);
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _baseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        _reserved?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _state.DisposeAsync();
    }
}
