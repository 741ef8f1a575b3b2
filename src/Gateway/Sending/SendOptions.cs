using System.ComponentModel.DataAnnotations;

namespace Gateway.Sending;

/// <summary><c>Gateway:Send</c>: how replies are sent. The Send API's allowances per Page are <c>Meta:RateLimit:SendCallsPerSecond</c>
/// and <c>SendMediaCallsPerSecond</c>, and a send's time limit <c>Meta:SendTimeout</c>.</summary>
public sealed class SendOptions
{
    public const string Section = "Gateway:Send";

    /// <summary>How long a Page remembers an <c>idempotencyKey</c> and what became of its send: the same key within it returns the
    /// first result and never sends again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Messages the gateway sends to one thread per minute at most. Meta limits messages to a single thread without
    /// saying how many; past this a send is refused at once (<c>SendRateLimitedError</c>) instead of by Meta.</summary>
    [Range(1, 10_000)]
    public int MessagesPerThreadPerMinute { get; set; } = 60;
}
