using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.DataLoading;
using Gateway.Inbox;
using MetaGraph.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway on a free loopback port, talking over real HTTP to its own emulator. Each test builds its own.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private readonly bool _ownsEmulator;

    private GatewayHost(EmulatorServer emulator, bool ownsEmulator, WebApplicationFactory<Program> factory, HttpClient client, CapturedLogs logs)
    {
        Emulator = emulator;
        _ownsEmulator = ownsEmulator;
        _factory = factory;
        Client = client;
        Logs = logs;
    }

    /// <summary>Everything the gateway logged, at every level.</summary>
    public CapturedLogs Logs { get; }

    public EmulatorServer Emulator { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public SeedPage Page => Emulator.Seed[0];

    /// <param name="onEmulatorClock">The gateway's <see cref="TimeProvider"/> reads the emulator's clock, so a test that moves
    /// or stops that clock (a person's last message days ago, a window's last millisecond) moves the gateway's "now" with it.</param>
    public static async Task<GatewayHost> StartAsync(
        EmulatorOptions? emulatorOptions = null, ExecutionMode mode = ExecutionMode.PushDown,
        IReadOnlyDictionary<string, string?>? settings = null, bool configurePages = false, string environment = "Development",
        EmulatorServer? sharedEmulator = null, bool onEmulatorClock = false, bool redisAnswers = true,
        Action<IServiceCollection>? services = null)
    {
        // A shared emulator (several gateway instances in one test) is disposed by its owner, not by each gateway.
        var emulator = sharedEmulator ?? await EmulatorServer.StartAsync(emulatorOptions ?? new EmulatorOptions());
        var logs = new CapturedLogs();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // Only the captured logs: nothing reads the console of a test run, and writing every gateway's lines there costs time.
            web.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            web.UseEnvironment(environment);
            web.UseUrls("http://127.0.0.1:0");
            web.UseSetting("Meta:UseEmulator", "false");
            web.UseSetting("Meta:GraphApiBaseUrl", emulator.BaseAddress.ToString().TrimEnd('/'));
            web.UseSetting("Gateway:Mode", mode.ToString());
            // Tests make many calls quickly against an emulator without a rate limit; the limiter has its own tests.
            web.UseSetting("Meta:RateLimit:CallsPerSecond", "10000");
            if (mode == ExecutionMode.Naive)
            {
                web.UseSetting("Gateway:Budget:MaxUpstreamCallsPerOperation", "10000");
            }
            if (configurePages)
            {
                foreach (var page in emulator.Seed)
                {
                    web.UseSetting($"Meta:Pages:{page.PageId}:AccessToken", page.AccessToken);
                }
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                web.UseSetting(key, value);
            }
            if (onEmulatorClock)
            {
                web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new EmulatorTimeProvider(emulator.Clock)));
            }
            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var client = factory.CreateClient();
        var host = new GatewayHost(emulator, sharedEmulator is null, factory, client, logs);
        if (redisAnswers && settings?.ContainsKey("ConnectionStrings:Redis") == true)
        {
            // A busy machine can take longer than the connect timeout: the instance then starts alone and listens to the
            // others' events once Redis answers. Tests of several instances start from there.
            await host.WaitUntilListeningToOtherInstancesAsync();
        }
        return host;
    }

    /// <summary>Until this instance hears the inbox events every instance publishes through Redis.</summary>
    public Task WaitUntilListeningToOtherInstancesAsync()
        => Eventually.TrueAsync(async () => (await Services.GetRequiredService<HealthCheckService>()
                .CheckHealthAsync(check => check.Name == InboxSpineHealth.Name)).Status == HealthStatus.Healthy,
            TimeSpan.FromSeconds(30), "the instance listening to every instance's inbox events");

    /// <summary>POSTs a GraphQL request with the first page's token forwarded (unless another is given).</summary>
    public Task<JsonObject> QueryAsync(string query, object? variables = null, string? token = null)
        => PostAsync(new { query, variables }, token);

    /// <summary>POSTs a GraphQL request body as given (say, with an <c>operationName</c>).</summary>
    public async Task<JsonObject> PostAsync(object requestBody, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(requestBody),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Page.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {body}");
    }

    /// <summary>Reads the emulator directly, as the reference the gateway's answers are checked against.</summary>
    public async Task<JsonNode> GraphApiAsync(string relativeUrl, string? token = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Emulator.BaseAddress, "v25.0/") };
        var separator = relativeUrl.Contains('?') ? '&' : '?';
        return JsonNode.Parse(await http.GetStringAsync($"{relativeUrl}{separator}access_token={token ?? Page.AccessToken}"))!;
    }

    /// <summary>Graph API requests the emulator served since the last reset, less the one <c>GET /me</c> by which the
    /// gateway learns a forwarded token's Page the first time it sees the token (TokenPagesTests count those).</summary>
    public IReadOnlyList<RecordedRequest> UpstreamCalls => Emulator.Requests.Where(call => !call.IsTokenLookup()).ToList();

    public static string Operation(string name)
        => File.ReadAllText(Path.Combine(RepositoryRoot, "schema", "operations", name + ".graphql"));

    public static string RepositoryRoot { get; } = Gateway.Hosting.RepositoryRoot.Above(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Gateway.sln not found above the test output.");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsEmulator)
        {
            await Emulator.DisposeAsync();
        }
    }
}

public static class RecordedRequests
{
    /// <summary>A <c>GET /{version}/me</c>: which Page a token belongs to.</summary>
    public static bool IsTokenLookup(this RecordedRequest request) => request.Path.EndsWith("/me", StringComparison.Ordinal);

    /// <summary>The decoded <c>fields=</c> of a Graph API request.</summary>
    public static string? Fields(this RecordedRequest request)
        => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Query).TryGetValue("fields", out var fields) ? fields.ToString() : null;
}

public static class JsonAssertions
{
    public static JsonNode? At(this JsonNode? node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = int.TryParse(part, out var index) ? current?[index] : current?[part];
        }
        return current;
    }

    public static string Compact(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
