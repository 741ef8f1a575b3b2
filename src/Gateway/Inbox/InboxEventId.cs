using System.Diagnostics.CodeAnalysis;

namespace Gateway.Inbox;

/// <summary>
/// Where an inbox event stands in its Page's history, in Redis Streams' form <c>milliseconds-sequence</c>: with Redis the
/// stream assigns it, without Redis this instance does, so a client holds one kind of id either way and ids order by time.
/// </summary>
public readonly record struct InboxEventId(long Milliseconds, long Sequence) : IComparable<InboxEventId>
{
    public static bool TryParse([NotNullWhen(true)] string? text, out InboxEventId id)
    {
        id = default;
        var dash = text?.IndexOf('-') ?? -1;
        if (dash <= 0 || !long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out var milliseconds)
            || !long.TryParse(text.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var sequence))
        {
            return false;
        }
        id = new InboxEventId(milliseconds, sequence);
        return true;
    }

    public static InboxEventId Parse(string text)
        => TryParse(text, out var id) ? id : throw new FormatException($"`{text}` is not an inbox event id.");

    /// <summary>The id after <paramref name="newest"/> for an event at <paramref name="now"/>: time-ordered, and unique
    /// when several events share a millisecond or the clock steps back.</summary>
    public static InboxEventId Next(InboxEventId newest, DateTimeOffset now)
    {
        var milliseconds = now.ToUnixTimeMilliseconds();
        return milliseconds > newest.Milliseconds ? new InboxEventId(milliseconds, 0) : newest with { Sequence = newest.Sequence + 1 };
    }

    public int CompareTo(InboxEventId other)
        => Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(InboxEventId left, InboxEventId right) => left.CompareTo(right) < 0;

    public static bool operator >(InboxEventId left, InboxEventId right) => left.CompareTo(right) > 0;

    public static bool operator <=(InboxEventId left, InboxEventId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(InboxEventId left, InboxEventId right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Milliseconds}-{Sequence}";
}
