using System.Globalization;
using System.Net;
using System.Text;

namespace Gateway.Benchmarks;

/// <summary>An SVG bar chart of the run: p50 latency per operation and mode, each bar labelled with its Graph calls.</summary>
public static class BenchmarkChart
{
    private const int LabelWidth = 170;
    private const int PlotWidth = 480;
    private const int BarHeight = 14;
    private const int GroupGap = 12;

    private static readonly Dictionary<string, string> Colors = new()
    {
        ["Naive"] = "#d9534f",
        ["Batched"] = "#f0ad4e",
        ["PushDown"] = "#2e8b57",
    };

    /// <param name="cells">Operation, mode, p50 in milliseconds and Graph calls, in the order to draw them.</param>
    public static string Svg(IReadOnlyList<(string Operation, string Mode, double P50, int Calls)> cells, int latencyMs)
    {
        var c = CultureInfo.InvariantCulture;
        var operations = cells.Select(cell => cell.Operation).Distinct().ToList();
        var modes = cells.Select(cell => cell.Mode).Distinct().ToList();
        var max = cells.Max(cell => cell.P50);
        var groupHeight = modes.Count * BarHeight + GroupGap;
        var height = 40 + operations.Count * groupHeight + 30;
        var svg = new StringBuilder();
        svg.AppendLine(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{LabelWidth + PlotWidth + 90}" height="{height}" font-family="sans-serif" font-size="11">""");
        svg.AppendLine(c, $"""<text x="4" y="16" font-size="13" font-weight="bold">p50 latency per operation (ms; upstream {latencyMs} ms per call); bars labelled with Graph calls</text>""");
        for (var i = 0; i < operations.Count; i++)
        {
            var top = 32 + i * groupHeight;
            svg.AppendLine(c, $"""<text x="4" y="{top + modes.Count * BarHeight / 2 + 4}">{WebUtility.HtmlEncode(operations[i])}</text>""");
            for (var j = 0; j < modes.Count; j++)
            {
                var cell = cells.First(x => x.Operation == operations[i] && x.Mode == modes[j]);
                var width = Math.Max(1, cell.P50 / max * PlotWidth);
                var y = top + j * BarHeight;
                svg.AppendLine(c, $"""<rect x="{LabelWidth}" y="{y}" width="{width:F1}" height="{BarHeight - 2}" fill="{Colors.GetValueOrDefault(modes[j], "#777")}"/>""");
                svg.AppendLine(c, $"""<text x="{LabelWidth + width + 4:F1}" y="{y + BarHeight - 4}">{cell.P50:F1} ms · {cell.Calls} call{(cell.Calls == 1 ? "" : "s")}</text>""");
            }
        }
        var legendY = height - 12;
        for (var j = 0; j < modes.Count; j++)
        {
            var x = LabelWidth + j * 110;
            svg.AppendLine(c, $"""<rect x="{x}" y="{legendY - 9}" width="10" height="10" fill="{Colors.GetValueOrDefault(modes[j], "#777")}"/><text x="{x + 14}" y="{legendY}">{modes[j]}</text>""");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
