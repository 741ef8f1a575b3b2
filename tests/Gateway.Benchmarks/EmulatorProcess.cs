using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;

namespace Gateway.Benchmarks;

/// <summary>
/// The Graph API emulator as its own process, so that neither the gateway nor the load generator shares its thread pool
/// or its garbage collector. Its data is generated here too, from the same options: the same seed gives the same inboxes.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly HttpClient _diagnostics;

    private EmulatorProcess(Process process, Uri baseAddress, InboxData data)
    {
        _process = process;
        BaseAddress = baseAddress;
        Data = data;
        _diagnostics = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>The root URL with a trailing slash; Graph paths live under <c>{BaseAddress}v25.0/</c>.</summary>
    public Uri BaseAddress { get; }

    public InboxData Data { get; }

    public IReadOnlyList<SeedPage> Seed { get; private set; } = [];

    public static async Task<EmulatorProcess> StartAsync(EmulatorOptions options)
    {
        var port = FreePorts.Next();
        var process = ChildProcesses.StartDotnet("emulator", "MetaGraph.Emulator.dll",
            ["--urls", $"http://127.0.0.1:{port}", "--seed", Invariant(options.Seed), "--pages", Invariant(options.Pages),
             "--conversations", Invariant(options.ConversationsPerPlatform), "--messages", Invariant(options.MaxMessagesPerConversation),
             "--latency-ms", Invariant(options.LatencyMs), "--large-page-conversations", Invariant(options.LargePageConversations)],
            new Dictionary<string, string>());
        var emulator = new EmulatorProcess(process, new Uri($"http://127.0.0.1:{port}/"), InboxGenerator.Generate(options));
        await ChildProcesses.WaitUntilAnsweringAsync(process, emulator.BaseAddress, "_emulator/seed");
        emulator.Seed = (await emulator._diagnostics.GetFromJsonAsync<List<SeedPage>>("_emulator/seed", Json))!;
        if (options.LatencyJitterMs > 0 || options.FaultRate > 0)
        {
            await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyJitterMs: options.LatencyJitterMs, FaultRate: options.FaultRate));
        }
        return emulator;
    }

    /// <summary>Graph API requests served since the last reset.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> RequestsAsync()
    {
        using var log = JsonDocument.Parse(await _diagnostics.GetStringAsync("_emulator/requests"));
        return log.RootElement.GetProperty("requests").Deserialize<List<RecordedRequest>>(Json)!;
    }

    /// <summary>A recorded Graph call as a URL relative to <see cref="BaseAddress"/> (the log hides the token; it is put back),
    /// to read the same call straight from the emulator.</summary>
    public static string DirectUrl(RecordedRequest call, string token)
        => call.Path.TrimStart('/') + call.Query.Replace("access_token=***", "access_token=" + Uri.EscapeDataString(token), StringComparison.Ordinal);

    public async Task ResetRequestsAsync() => (await _diagnostics.DeleteAsync("_emulator/requests")).EnsureSuccessStatusCode();

    public async Task ConfigureAsync(EmulatorRuntimeConfig config)
        => (await _diagnostics.PostAsJsonAsync("_emulator/config", config, Json)).EnsureSuccessStatusCode();

    /// <summary>CPU time the emulator has used so far.</summary>
    public TimeSpan CpuTime() => ChildProcesses.CpuTime(_process);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _diagnostics.Dispose();
        await ChildProcesses.StopAsync(_process);
    }
}
