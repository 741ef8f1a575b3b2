using System.Globalization;
using System.Text;
using MetaGraph.Emulator;

namespace Gateway.Benchmarks;

/// <summary>A server in a side-by-side run: its name in the report, its process, and the load generator that reads it.</summary>
public sealed class Side(string name, IMeasuredProcess process, string token) : IDisposable
{
    public string Name { get; } = name;

    public IMeasuredProcess Process { get; } = process;

    public LoadGenerator Load { get; } = new(process.Address, token);

    public void Dispose() => Load.Dispose();
}

/// <summary>One cell: the inbox at an upstream latency and a concurrency, against servers compared side by side. With a
/// floor, the emulator is also read directly for the same single Graph call, in the same rounds.</summary>
public sealed record Cell(string Name, int LatencyMs, int Concurrency, int Requests, bool Floor, IReadOnlyList<Side> Sides);

/// <summary>A cell's rounds for each server (in the cell's order) and, with a floor, the emulator read directly.</summary>
public sealed record CellResult(Cell Cell, IReadOnlyList<Rounds> Sides, IReadOnlyList<LoadResult> Direct)
{
    public double DirectP50 => Statistics.Median(Direct.Select(d => d.Percentile(50)));
}

/// <summary>How long a side-by-side run measures: rounds per cell, the warm-up of each new process and before each
/// round, and a factor on each cell's requests per window.</summary>
public sealed record SideBySideSettings(int Rounds, TimeSpan WarmUp, TimeSpan RoundWarmUp, double RequestsFactor)
{
    public static SideBySideSettings Full { get; } = new(5, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1);

    public static SideBySideSettings Quick { get; } = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5), 0.1);

    public int Requests(int full) => Math.Max(20, (int)(full * RequestsFactor));
}

/// <summary>
/// Servers compared in alternating rounds (A B … A B …, each window after a short warm-up of its server), so that drift
/// on the shared machine hits every side alike; figures are medians over the rounds, and ratios of medians.
/// </summary>
public sealed class SideBySide(EmulatorProcess emulator, Operation inbox, SideBySideSettings settings) : IDisposable
{
    private readonly LoadGenerator _direct = new(emulator.BaseAddress, bearerToken: null);
    private string? _directUrl;

    /// <summary>Fails the run unless every side answers the inbox as the first does, twice (a side with a cache answers the
    /// second time from it); the first must make exactly one Graph call, which the floor reads straight from the emulator.</summary>
    public async Task RequireSameAnswersAsync(IReadOnlyList<Side> sides, string token, bool ignoreCursors)
    {
        await emulator.ResetRequestsAsync();
        var reference = await sides[0].Load.QueryAsync(inbox);
        _directUrl = EmulatorProcess.DirectUrl((await emulator.RequestsAsync()).Single(), token);
        foreach (var side in sides.Skip(1))
        {
            Answers.RequireSame(sides[0].Name, reference, side.Name, await side.Load.QueryAsync(inbox), ignoreCursors);
            Answers.RequireSame(sides[0].Name, reference, side.Name + " (again)", await side.Load.QueryAsync(inbox), ignoreCursors);
        }
    }

    /// <summary>Each new process's first warm-up, against a 0 ms upstream so that the JIT's second tier comes soon.</summary>
    public async Task WarmUpAsync(IEnumerable<Side> sides)
    {
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyMs: 0));
        foreach (var side in sides)
        {
            await side.Load.WarmUpAsync([inbox], settings.WarmUp);
        }
    }

    public async Task<CellResult> RunAsync(Cell cell)
    {
        Console.Error.WriteLine($"Cell: {cell.Name} ({settings.Rounds} rounds of {settings.Requests(cell.Requests)} requests)");
        await emulator.ConfigureAsync(new EmulatorRuntimeConfig(LatencyMs: cell.LatencyMs));
        var rounds = cell.Sides.Select(_ => new Rounds()).ToArray();
        var direct = new List<LoadResult>();
        var requests = settings.Requests(cell.Requests);
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var i = 0; i < cell.Sides.Count; i++)
            {
                var side = cell.Sides[i];
                await side.Load.WarmUpAsync([inbox], settings.RoundWarmUp);
                rounds[i].Windows.Add(await Window.MeasureAsync(side.Process, emulator, () => side.Load.RunAsync(inbox, requests, cell.Concurrency)));
            }
            if (cell.Floor)
            {
                direct.Add(await _direct.RunGetAsync(_directUrl!, requests, cell.Concurrency));
            }
        }
        return new CellResult(cell, rounds, direct);
    }

    /// <summary>A mode's section of <c>docs/benchmarks.md</c>: the command that made it, when, how long it took and the
    /// machine's load meanwhile; what was compared; a table per cell; each server's peak working set.</summary>
    public static string Section(string heading, string arguments, string description, IEnumerable<CellResult> cells, IEnumerable<Side> sides,
        string load, TimeSpan took)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(heading).AppendLine().AppendLine();
        text.AppendLine(c, $"Command: `dotnet run -c Release --project tests/Gateway.Benchmarks -- {arguments}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {took.TotalMinutes:F0} min,");
        text.AppendLine(c, $"machine load average (1 min) {load} on 2 shared cores: read the ratios, not the absolute figures.  ");
        text.AppendLine(description.TrimEnd()).AppendLine();
        foreach (var cell in cells)
        {
            text.AppendLine(Table(cell));
        }
        text.AppendLine(c, $"Peak working set (VmHWM) of each server process: {string.Join(", ", sides.Select(s => $"{s.Name} {s.Process.PeakWorkingSetMegabytes():F0} MB"))}.");
        return text.ToString();
    }

    /// <summary>A cell as a Markdown table: each server's medians, then the first server's over each other's.</summary>
    public static string Table(CellResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var names = result.Cell.Sides.Select(s => s.Name).ToList();
        var others = names.Skip(1).ToList();
        var text = new StringBuilder();
        text.AppendLine(c, $"| {result.Cell.Name} | {string.Join(" | ", names)} | {string.Join(" | ", others.Select(o => $"{names[0]} ÷ {o}"))} |");
        text.AppendLine("|---|" + string.Concat(names.Concat(others).Select(_ => "---:|")));
        Row(text, result, "req/s", r => r.Throughput, "F0");
        Row(text, result, "p50 ms", r => r.P50, "F1");
        Row(text, result, "p99 ms", r => r.P99, "F1");
        Row(text, result, "server CPU ms per request", r => r.CpuMillisecondsPerRequest, "F2");
        Row(text, result, "allocated KB per request", r => r.AllocatedBytesPerRequest / 1024, "F1");
        Row(text, result, "Graph calls per request", r => r.GraphCallsPerRequest, "F2");
        if (result.Direct.Count > 0)
        {
            Row(text, result, $"p50 ÷ emulator-direct p50 ({result.DirectP50:F1} ms)", r => r.P50 / result.DirectP50, "F2");
        }
        text.AppendLine();
        text.AppendLine(c, $"Req/s by round: {string.Join("; ", result.Sides.Select((r, i) => $"{names[i]} {string.Join(", ", r.Windows.Select(w => w.Load.Throughput.ToString("F0", c)))}"))}.");
        return text.ToString();
    }

    private static void Row(StringBuilder text, CellResult result, string metric, Func<Rounds, double?> value, string format)
    {
        var values = result.Sides.Select(value).ToList();
        var cells = values.Select(v => v?.ToString(format, CultureInfo.InvariantCulture) ?? "—")
            .Concat(values.Skip(1).Select(v => values[0] is { } first && v is { } other && other != 0 ? (first / other).ToString("F2", CultureInfo.InvariantCulture) + "×" : "—"));
        text.AppendLine($"| {metric} | {string.Join(" | ", cells)} |");
    }

    /// <summary>The machine's 1-minute load average: other work on the shared cores shows here, not in a process's CPU.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public void Dispose() => _direct.Dispose();
}
