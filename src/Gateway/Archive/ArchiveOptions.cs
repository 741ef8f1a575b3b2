using System.ComponentModel.DataAnnotations;

namespace Gateway.Archive;

/// <summary><c>Archive</c>: what the message archive keeps and how much it holds in memory. Which database it is on is
/// <c>ConnectionStrings:Archive</c>; without it (in Production) the archive is off and nothing is stored.</summary>
public sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>How long messages are kept, from their created time (say <c>365.00:00:00</c>); older ones are purged once
    /// a day. Unset: kept until unsent or erased.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00")]
    public TimeSpan? Retention { get; set; }

    /// <summary>Inbox events waiting in memory for the database, on an instance without Redis (with Redis they wait in its
    /// stream). While the database is away they pile up here and are written when it is back; past this many the oldest
    /// are dropped (counted and logged).</summary>
    [Range(1, 10_000_000)]
    public int EventBufferCapacity { get; set; } = 100_000;

    /// <summary>Messages and conversations that Graph reads handed to the archive and not yet written. A read never waits
    /// for the archive: past this many, what reads give is dropped (a later read gives it again).</summary>
    [Range(1, 10_000_000)]
    public int GraphReadQueueCapacity { get; set; } = 10_000;

    /// <summary>How often a data deletion request whose person Meta's ID Matching API could not yet map is tried again, while
    /// the gateway runs (it is also carried out at the next start).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan DataDeletionRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
