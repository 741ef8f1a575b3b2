namespace Gateway.Benchmarks;

/// <summary>
/// <c>docs/benchmarks.md</c> is written by several modes: each replaces its own <c>## </c> section (from its heading to the
/// next one) and keeps the rest of the file, the other modes' sections and the hand-written notes included.
/// </summary>
public static class MarkdownSections
{
    /// <summary>The hand-written parts of <c>docs/benchmarks.md</c>: no mode writes them, every mode keeps them.</summary>
    public const string NotesHeading = "## Reading the side-by-side runs";

    public const string BisectHeading = "## Where the uncached path's time went (bisect steps)";

    /// <summary><paramref name="document"/> with the section under <paramref name="heading"/> replaced, or appended.</summary>
    public static string Replace(string? document, string heading, string section)
    {
        if (document is null)
        {
            return section;
        }
        return Find(document, heading) is var (start, end)
            ? document[..start] + section.TrimEnd() + "\n" + (end < document.Length ? "\n" + document[end..] : "")
            : document.TrimEnd() + "\n\n" + section;
    }

    /// <summary><paramref name="report"/> followed by the sections of <paramref name="existing"/> under
    /// <paramref name="headings"/> that it lacks: a new main run keeps what the other modes and people wrote.</summary>
    public static string Keep(string? existing, string report, IEnumerable<string> headings)
    {
        foreach (var heading in headings)
        {
            if (existing is not null && Find(report, heading) is null && Find(existing, heading) is var (start, end))
            {
                report = report.TrimEnd() + "\n\n" + existing[start..end].TrimEnd() + "\n";
            }
        }
        return report;
    }

    /// <summary>Where the section starts (its heading) and ends (the next <c>## </c> heading, or the end).</summary>
    private static (int Start, int End)? Find(string document, string heading)
    {
        // Found in the document with a newline before it, the heading starts where that newline is found.
        var start = ("\n" + document).IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        var next = document.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return (start, next < 0 ? document.Length : next + 1);
    }
}
