using System.Globalization;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Paging;

/// <summary>The slice <c>[Start, End)</c> of a list that one page shows.</summary>
internal readonly record struct PageWindow(int Start, int End, int Count, int Limit, ulong List)
{
    public const int DefaultLimit = 25;

    /// <summary><c>after=c</c>: the items after c; <c>before=c</c>: the <paramref name="limit"/> items just before c.</summary>
    public static PageWindow Select(ulong list, int count, int limit, string? after, string? before)
    {
        if (after is not null)
        {
            var start = Cursor.Decode(after, list, count, "after") + 1;
            return new PageWindow(start, Math.Min(count, start + limit), count, limit, list);
        }
        if (before is not null)
        {
            var end = Cursor.Decode(before, list, count, "before");
            return new PageWindow(Math.Max(0, end - limit), end, count, limit, list);
        }
        return new PageWindow(0, Math.Min(count, limit), count, limit, list);
    }

    /// <summary>The <c>limit</c> parameter: <see cref="DefaultLimit"/> when absent, at most <paramref name="max"/>.</summary>
    public static int ParseLimit(string? text, int max)
    {
        if (text is null)
        {
            return Math.Min(DefaultLimit, max);
        }
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            throw GraphErrors.InvalidParameter("(#100) The parameter limit must be a non-negative integer");
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? Math.Min(limit, max) : max;
    }

    public bool IsEmpty => End <= Start;
    public bool HasPrevious => Start > 0;
    public bool HasNext => End < Count;
    public string BeforeCursor => Cursor.Encode(List, Start);
    public string AfterCursor => Cursor.Encode(List, End - 1);
}
