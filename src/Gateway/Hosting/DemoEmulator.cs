using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Configuration;
using MetaGraph.Emulator;

namespace Gateway.Hosting;

/// <summary>The emulator the demo reads: where it is, its demo Pages, and how its webhooks are pointed at this gateway.</summary>
public abstract class DemoEmulator
{
    public abstract Uri BaseAddress { get; }

    public abstract IReadOnlyList<SeedPage> Seed { get; }

    /// <summary>Changes the emulator's behaviour at run time (as <c>POST /_emulator/config</c> does).</summary>
    public abstract Task ConfigureAsync(EmulatorRuntimeConfig config, CancellationToken cancellationToken);
}

public static class DemoEmulators
{
    /// <summary>
    /// The demo (see <see cref="DemoMode"/>): the emulator's demo Pages and their tokens become this gateway's configuration,
    /// with a made-up app secret and verify token unless configured, so its webhooks are signed and verified as Meta's are;
    /// once the gateway listens, the emulator's webhooks are pointed at it and a banner says what to try. The embedded
    /// emulator is owned by the host: started and stopped with it.
    /// </summary>
    public static IHostApplicationBuilder AddDemoEmulator(this IHostApplicationBuilder builder)
    {
        if (!DemoMode.IsOn(builder.Configuration, builder.Environment))
        {
            return builder;
        }
        builder.Services.AddValidatedOptions<DemoEmulatorOptions>(DemoEmulatorOptions.Section);
        DemoEmulator emulator = DemoMode.StandaloneEmulator(builder.Configuration) is { } standalone
            ? new StandaloneEmulator(standalone)
            : EmbeddedEmulator.Create(builder.Configuration.GetSection(DemoEmulatorOptions.Section).Get<DemoEmulatorOptions>() ?? new DemoEmulatorOptions());
        // A configuration source: a standalone emulator's Pages are read over HTTP when the configuration loads them.
        builder.Configuration.Add(new DemoConfigurationSource(emulator, builder.Configuration));
        builder.Services.AddSingleton(emulator);
        if (emulator is EmbeddedEmulator embedded)
        {
            builder.Services.AddHostedService(_ => embedded);
        }
        builder.Services.AddHostedService<DemoEmulatorWebhooks>();
        builder.Services.AddHostedService<DemoBanner>();
        return builder;
    }

    /// <summary>For a command that runs no host (<c>sync</c>): starts the embedded emulator the demo reads, if it has one.
    /// Disposing the answer stops it.</summary>
    public static async Task<IAsyncDisposable> StartForCommandAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<DemoEmulator>() is not EmbeddedEmulator embedded)
        {
            return NothingStarted.Instance;
        }
        await embedded.StartAsync(cancellationToken);
        return embedded;
    }

    private sealed class NothingStarted : IAsyncDisposable
    {
        public static readonly NothingStarted Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>The emulator in this process, started and stopped with the host.</summary>
internal sealed class EmbeddedEmulator(EmulatorServer server, Uri address) : DemoEmulator, IHostedService, IAsyncDisposable
{
    public override Uri BaseAddress => address;

    public override IReadOnlyList<SeedPage> Seed => server.Seed;

    public override Task ConfigureAsync(EmulatorRuntimeConfig config, CancellationToken cancellationToken) => server.ConfigureAsync(config, cancellationToken);

    /// <summary>On the configured port when it is free, else on any free one (the banner prints which). The port is bound
    /// here, while the configuration is built, and listened on when the host starts: the address the configuration names
    /// cannot be taken in between (say by a second demo starting at the same moment).</summary>
    public static EmbeddedEmulator Create(DemoEmulatorOptions options)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, options.Port));
        }
        catch (SocketException) when (options.Port != 0)
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }
        return new EmbeddedEmulator(EmulatorServer.Create(new EmulatorOptions(), socket), new Uri($"http://{socket.LocalEndPoint}/"));
    }

    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>A standalone emulator (<c>dotnet run --project src/MetaGraph.Emulator</c>) the demo reads over HTTP.</summary>
internal sealed class StandaloneEmulator(Uri address) : DemoEmulator
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private IReadOnlyList<SeedPage>? _seed;

    public override Uri BaseAddress => address;

    /// <summary>Its demo Pages, read once (<c>GET /_emulator/seed</c>) when the configuration loads.</summary>
    public override IReadOnlyList<SeedPage> Seed => _seed ??= ReadSeed();

    public override async Task ConfigureAsync(EmulatorRuntimeConfig config, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(address, "_emulator/config"), config, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new EmulatorConfigException(await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    private List<SeedPage> ReadSeed()
    {
        try
        {
            using var response = Http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(address, "_emulator/seed")));
            response.EnsureSuccessStatusCode();
            return JsonSerializer.Deserialize<List<SeedPage>>(response.Content.ReadAsStream(), JsonSerializerOptions.Web)
                ?? throw new InvalidOperationException("the seed was empty");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            throw new InvalidSettingsException(
                $"Meta:UseEmulator=true with Meta:GraphApiBaseUrl={address}: no emulator answers {address}_emulator/seed ({error.GetType().Name}). " +
                $"Start it first: dotnet run --project src/MetaGraph.Emulator -- --urls {address.ToString().TrimEnd('/')}", error);
        }
    }
}

/// <summary>The demo's settings: the emulator's address and demo Pages with their tokens, and a made-up app secret and
/// verify token unless configured (the demo's webhooks are signed and verified as Meta's are).</summary>
internal sealed class DemoConfigurationSource(DemoEmulator emulator, IConfiguration configured) : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        Data[DemoMode.GraphApiBaseUrlKey] = emulator.BaseAddress.ToString().TrimEnd('/');
        // Said explicitly, so that the base URL set here does not read as an operator's configuration later.
        Data[DemoMode.UseEmulatorKey] = "true";
        if (string.IsNullOrEmpty(configured["Meta:AppSecret"]))
        {
            Data["Meta:AppSecret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        if (string.IsNullOrEmpty(configured["Meta:Webhooks:VerifyToken"]))
        {
            Data["Meta:Webhooks:VerifyToken"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }
        foreach (var page in emulator.Seed)
        {
            Data[$"Meta:Pages:{page.PageId}:AccessToken"] = page.AccessToken;
            Data[$"Meta:Pages:{page.PageId}:InstagramAccountId"] = page.InstagramAccountId;
        }
    }
}
