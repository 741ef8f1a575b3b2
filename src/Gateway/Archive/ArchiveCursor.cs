using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Gateway.Archive;

/// <summary>
/// The keyset of a paged read, opaque to clients: the last item's (score, created time, message id). Search pages by all
/// three (relevance, then recency); a thread by time and id alone. The next page starts strictly after it, so a message
/// that arrives meanwhile never shifts what comes next.
/// </summary>
internal sealed record ArchiveCursor(double Score, DateTimeOffset CreatedTime, string MessageId)
{
    private const string Version = "a1";

    public string Encode()
    {
        var text = string.Join('|', Version, BitConverter.DoubleToInt64Bits(Score).ToString(CultureInfo.InvariantCulture),
            CreatedTime.UtcTicks.ToString(CultureInfo.InvariantCulture), MessageId);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <exception cref="ArgumentException">The text is not a cursor the archive made.</exception>
    public static ArchiveCursor Decode(string cursor)
    {
        var parts = Text(cursor)?.Split('|', 4);
        if (parts is not [Version, var scoreBits, var ticks, { Length: > 0 } messageId]
            || !long.TryParse(scoreBits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score)
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks)
            || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new ArgumentException("The cursor was not given by the message archive.", nameof(cursor));
        }
        return new ArchiveCursor(BitConverter.Int64BitsToDouble(score), new DateTimeOffset(utcTicks, TimeSpan.Zero), messageId);
    }

    private static string? Text(string cursor)
    {
        if (cursor.Length > 1024 || !Base64Url.IsValid(cursor))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
