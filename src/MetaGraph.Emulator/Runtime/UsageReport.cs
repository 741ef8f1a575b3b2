using System.Text;

namespace MetaGraph.Emulator.Runtime;

/// <summary>The usage one response reports: for each Page, the latest decision of each allowance the request was charged
/// to. Meta documents one business-use-case type for the Messenger Platform, <c>messenger</c>, so every allowance reports
/// under it, one object each (our choice; a header may carry up to 32 objects per id).</summary>
internal sealed class UsageReport
{
    private readonly List<RateDecision> _decisions = [];

    public void Add(RateDecision decision)
    {
        var same = _decisions.FindIndex(d => d.Api == decision.Api && d.PageId == decision.PageId);
        if (same < 0)
        {
            _decisions.Add(decision);
        }
        else
        {
            _decisions[same] = decision;
        }
    }

    /// <summary><c>X-App-Usage</c> with the highest share, and <c>X-Business-Use-Case-Usage</c> with every decision; nothing
    /// when the request was charged to no limited allowance.</summary>
    public void WriteTo(IHeaderDictionary headers)
    {
        if (_decisions.Count == 0)
        {
            return;
        }
        var highest = _decisions.Max(d => d.Percent);
        headers["X-App-Usage"] = $$"""{"call_count":{{highest}},"total_time":{{highest}},"total_cputime":{{highest}}}""";
        var usage = new StringBuilder("{");
        foreach (var page in _decisions.GroupBy(d => d.PageId))
        {
            usage.Append(usage.Length > 1 ? "," : "").Append('"').Append(page.Key).Append("\":[");
            usage.AppendJoin(',', page.Select(d =>
                $$"""{"type":"messenger","call_count":{{d.Percent}},"total_cputime":{{d.Percent}},"total_time":{{d.Percent}},"estimated_time_to_regain_access":{{d.RegainMinutes}}}"""));
            usage.Append(']');
        }
        headers["X-Business-Use-Case-Usage"] = usage.Append('}').ToString();
    }
}
