using System.Security.Cryptography;
using System.Text;

namespace Gateway.Webhooks;

/// <summary><c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256(app secret, raw body)&gt;</c>, compared in constant time.
/// Always over the bytes received: Meta escapes unicode and <c>/</c> in what it signs, so re-serialized JSON never matches.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    /// <summary>Whether the header has the signature's form (<c>sha256=</c> and 64 hex digits): a delivery without one
    /// is refused before its body is read.</summary>
    public static bool IsWellFormed(string? header)
        => header is not null && header.Length == Prefix.Length + 64 && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
           && header.AsSpan(Prefix.Length).ContainsAnyExcept(HexDigits) == false;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static bool IsValid(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        if (string.IsNullOrEmpty(appSecret) || !IsWellFormed(header))
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, expected);
        Span<byte> given = stackalloc byte[32];
        return Convert.FromHexString(header!.AsSpan(Prefix.Length), given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static string Sign(ReadOnlySpan<byte> body, string appSecret)
        => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
}
