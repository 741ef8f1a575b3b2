using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Paging;

/// <summary>
/// An edge's cursor. Graph API only hands out cursors for the first and last item of each page it returns, and they
/// are item cursors (<c>after=c</c> reads past that item, <c>before=c</c> reads up to it). So an edge's cursor
/// carries Meta's nearest cursor unchanged plus how many items lie between it and the edge, and the edge's position
/// from the newest item, which the 20-message rule needs. The text is opaque to clients.
/// </summary>
public sealed record ConnectionCursor(int Position, string? AfterAnchor, int AfterSkip, string? BeforeAnchor, int BeforeDrop) : Api.ITextLeaf
{
    private const string Version = "1";

    /// <summary>The cursor as a string (page info, arguments); an edge's is written straight into the response by
    /// <see cref="WriteTo"/>.</summary>
    public string Encode()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxEncodedText);
        try
        {
            return Base64Url.EncodeToString(Text(buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Written into pooled buffers and encoded while the response is written: an inbox page has a cursor per edge
    /// (a buffer on the stack would be zeroed each time, a measurable share of an inbox read's CPU).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxEncodedText + Base64Url.GetEncodedLength(MaxEncodedText));
        try
        {
            var text = Text(buffer);
            var encoded = buffer.AsSpan(MaxEncodedText);
            Base64Url.EncodeToUtf8(text, encoded, out _, out var written);
            writer.WriteStringValue(encoded[..written]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override string ToString() => Encode();

    /// <summary><c>1|position|afterSkip|beforeDrop|afterAnchor|beforeAnchor</c> in UTF-8, written piece by piece (an
    /// interpolated write boxed every number).</summary>
    private ReadOnlySpan<byte> Text(byte[] buffer)
    {
        // Anchors are Meta's cursors, ASCII and at most 512 characters each (IsMetaCursor); the numbers fit in 33 characters.
        var text = buffer.AsSpan(0, MaxEncodedText);
        var length = Encoding.ASCII.GetBytes(Version, text);
        foreach (var number in (ReadOnlySpan<int>)[Position, AfterSkip, BeforeDrop])
        {
            text[length++] = (byte)'|';
            number.TryFormat(text[length..], out var written, provider: CultureInfo.InvariantCulture);
            length += written;
        }
        foreach (var anchor in (ReadOnlySpan<string?>)[AfterAnchor, BeforeAnchor])
        {
            text[length++] = (byte)'|';
            length += Encoding.UTF8.GetBytes(anchor ?? "", text[length..]);
        }
        return text[..length];
    }

    private const int MaxEncodedText = 2 * 512 + 64;

    public static bool TryDecode(string? value, out ConnectionCursor cursor)
    {
        cursor = null!;
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || !Base64Url.IsValid(value))
        {
            return false;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = text.Split('|');
        if (parts.Length != 6 || parts[0] != Version
            || !int.TryParse(parts[1], out var position) || position < 0
            || !int.TryParse(parts[2], out var afterSkip) || afterSkip is < 0 or > ConnectionSize.Max
            || !int.TryParse(parts[3], out var beforeDrop) || beforeDrop is < 0 or > ConnectionSize.Max
            || !IsMetaCursor(parts[4]) || !IsMetaCursor(parts[5]))
        {
            return false;
        }
        cursor = new ConnectionCursor(position, NullIfEmpty(parts[4]), afterSkip, NullIfEmpty(parts[5]), beforeDrop);
        return true;
    }

    /// <summary>Cursors for the edges of one Graph API page, given the items kept from it.</summary>
    /// <param name="metaPageCount">How many items Graph returned in that page.</param>
    /// <param name="indexInMetaPage">The edge's index in Graph's page.</param>
    public static ConnectionCursor ForItem(int position, int indexInMetaPage, int metaPageCount, string? metaBefore, string? metaAfter)
    {
        var isLast = indexInMetaPage == metaPageCount - 1;
        var (afterAnchor, afterSkip) = isLast && metaAfter is not null ? (metaAfter, 0)
            : metaBefore is not null ? (metaBefore, indexInMetaPage)
            : ((string?)null, position + 1);
        var (beforeAnchor, beforeDrop) = indexInMetaPage == 0 || metaAfter is null ? (metaBefore, 0)
            : (metaAfter, metaPageCount - 1 - indexInMetaPage);
        return new ConnectionCursor(position, afterAnchor, afterSkip, beforeAnchor, beforeDrop);
    }

    // Meta's cursors are base64 text; refusing anything else keeps them safe inside query strings and expansions.
    private static bool IsMetaCursor(string value)
        => value.Length <= 512 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '+' or '/' or '.' or '%');

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
