using System.Text.Encodings.Web;

namespace Gateway.Execution;

/// <summary>
/// Escapes only what JSON requires (<c>"</c>, <c>\</c> and control characters), so every other character, emoji
/// included, is written as raw UTF-8. .NET's built-in encoders, even <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>,
/// always escape characters outside the Basic Multilingual Plane (😊 would become <c>\uD83D\uDE0A</c>). Answers are
/// served as JSON, never embedded in HTML, so HTML-sensitive characters need no escaping either.
/// </summary>
public sealed class MinimalJsonEscaping : JavaScriptEncoder
{
    public static MinimalJsonEscaping Instance { get; } = new();

    private MinimalJsonEscaping()
    {
    }

    /// <summary>The longest escape written is <c>\uXXXX</c>.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }
            // A lone surrogate (text cut mid-emoji, say) has no UTF-8 form: the encoder replaces it with U+FFFD.
            if (char.IsSurrogate(span[i]) || WillEncode(span[i]))
            {
                return i;
            }
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            < 0x20 => $"\\u{unicodeScalar:X4}",
            // U+FFFD in place of a lone surrogate.
            _ => char.ConvertFromUtf32(unicodeScalar),
        };
        if (escape.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escape.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
