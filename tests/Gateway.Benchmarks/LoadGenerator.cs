using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Benchmarks;

/// <summary>A GraphQL operation as the benchmark sends it.</summary>
public sealed record Operation(string Name, string Query, object? Variables)
{
    public byte[] Body { get; } = JsonSerializer.SerializeToUtf8Bytes(new { query = Query, variables = Variables });
}

/// <summary>
/// Closed-loop load over keep-alive connections: each of <see cref="Concurrency"/> workers sends its next request when
/// the previous one has answered. The loop only checks the status and that no GraphQL error came back, so the generator
/// spends as little of the shared CPU as it can; answers are compared once, before the load, by <see cref="QueryAsync"/>.
/// </summary>
public sealed class LoadGenerator(Uri address, string? bearerToken) : IDisposable
{
    public const int Concurrency = 16;

    /// <summary>The most workers a run may ask for (the cached read is also measured at 64 connections).</summary>
    public const int MaxConcurrency = 64;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = MaxConcurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = address,
        DefaultRequestHeaders = { Authorization = bearerToken is null ? null : new AuthenticationHeaderValue("Bearer", bearerToken) },
    };

    /// <summary>The operation's <c>data</c>, as compact JSON; a GraphQL error fails the run.</summary>
    public async Task<string> QueryAsync(Operation operation)
    {
        using var response = await _http.SendAsync(Post(operation));
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body)!;
        if (response.StatusCode != HttpStatusCode.OK || json["errors"] is not null)
        {
            throw new InvalidOperationException($"{operation.Name} failed: {body[..Math.Min(400, body.Length)]}");
        }
        return json["data"]!.ToJsonString();
    }

    /// <summary><paramref name="count"/> POSTs of the operation; one at a time shows the latency no queue adds to.</summary>
    public Task<LoadResult> RunAsync(Operation operation, int count, int concurrency = Concurrency)
        => RunAsync(() => Post(operation), count, concurrency);

    /// <summary>Requests until <paramref name="duration"/> has passed, cycling through the operations (warm-up).</summary>
    public async Task WarmUpAsync(IReadOnlyList<Operation> operations, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        for (var round = 0; clock.Elapsed < duration; round++)
        {
            await RunAsync(operations[round % operations.Count], Concurrency * 2);
        }
    }

    /// <summary><paramref name="count"/> GETs of a relative URL (the emulator, read directly).</summary>
    public Task<LoadResult> RunGetAsync(string relativeUrl, int count, int concurrency = Concurrency)
        => RunAsync(() => new HttpRequestMessage(HttpMethod.Get, relativeUrl), count, concurrency);

    private async Task<LoadResult> RunAsync(Func<HttpRequestMessage> request, int count, int concurrency)
    {
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            // Each worker reads every body into its own buffer: no allocation per response.
            var buffer = new byte[256 * 1024];
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await _http.SendAsync(request(), HttpCompletionOption.ResponseHeadersRead);
                var length = await ReadBodyAsync(response, buffer);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var body = buffer.AsSpan(0, length);
                if (response.StatusCode != HttpStatusCode.OK || body.IndexOf("\"errors\":"u8) >= 0)
                {
                    throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body[..Math.Min(400, length)])}");
                }
            }
        }));
        return new LoadResult(latencies, total.Elapsed);
    }

    /// <summary>Reads the whole body into <paramref name="buffer"/>; the length read, or a failure when it does not fit.</summary>
    internal static async Task<int> ReadBodyAsync(HttpResponseMessage response, byte[] buffer)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length))) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                throw new InvalidOperationException($"A response is larger than the load generator's {buffer.Length} byte buffer.");
            }
        }
        return length;
    }

    private static HttpRequestMessage Post(Operation operation)
        => new(HttpMethod.Post, "graphql") { Content = new ByteArrayContent(operation.Body) { Headers = { ContentType = JsonType } } };

    public void Dispose() => _http.Dispose();
}

/// <summary>Latencies of one load, in milliseconds, and how long it took.</summary>
public sealed record LoadResult(double[] Milliseconds, TimeSpan Elapsed)
{
    public double Throughput => Milliseconds.Length / Elapsed.TotalSeconds;

    public double Percentile(double percentile)
    {
        var sorted = Milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
