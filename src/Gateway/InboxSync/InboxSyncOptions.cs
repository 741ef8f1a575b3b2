using System.ComponentModel.DataAnnotations;

namespace Gateway.InboxSync;

public sealed class InboxSyncOptions
{
    public const string Section = "InboxSync";

    /// <summary>Conversations per listing call, each with its 20 most recent messages. Meta's own page size; a larger page
    /// is fewer calls but a heavier answer, which Meta may refuse to compute.</summary>
    [Range(1, 100)]
    public int ConversationsPerCall { get; set; } = 25;

    /// <summary>How long a run holds a Page's sync without renewing it (it renews every third of this): how long the sync of
    /// a killed instance waits before another instance, or the restarted one, takes it over.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the first retry after Meta was unavailable; it doubles with each failure in a row, up to
    /// <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two calls while Meta is unavailable: <see cref="RetryDelay"/> doubles up to this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls in a row that find Meta unavailable after which the run stops as failed (starting it again resumes it).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>At start-up, resume the syncs that a stopped or killed instance left running, for the Pages whose tokens are
    /// configured on the server (a forwarded token lived only in the memory of the instance that was given it).</summary>
    public bool ResumeOnStart { get; set; } = true;

    /// <summary>How often someone watching a sync that another instance runs (<c>inboxSyncProgress</c>, the <c>sync</c>
    /// command) reads its checkpoint.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);
}
