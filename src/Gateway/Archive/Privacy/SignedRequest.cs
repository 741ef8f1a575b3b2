using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Archive.Privacy;

/// <summary>
/// Meta's <c>signed_request</c>: <c>base64url(signature).base64url(payload)</c>, the signature being HMAC-SHA256 of the
/// payload's base64url text with the app secret, the payload JSON such as
/// <c>{"algorithm":"HMAC-SHA256","issued_at":1700000000,"user_id":"…"}</c>.
/// </summary>
public static class SignedRequest
{
    private const int MaxLength = 8 * 1024;

    /// <summary>The payload's <c>user_id</c> when the request is signed with <paramref name="appSecret"/> and says
    /// HMAC-SHA256; null for anything else (no secret here, a wrong signature, another algorithm, no user id).</summary>
    public static string? UserIdOf(string signedRequest, string appSecret)
    {
        if (appSecret.Length == 0 || signedRequest.Length > MaxLength || signedRequest.Split('.') is not [var signature, var payload]
            || !Base64Url.IsValid(signature) || !Base64Url.IsValid(payload))
        {
            return null;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(payload));
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(signature)))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("algorithm", out var algorithm) && string.Equals(algorithm.GetString(), "HMAC-SHA256", StringComparison.OrdinalIgnoreCase)
                   && root.TryGetProperty("user_id", out var userId) && userId.ValueKind == JsonValueKind.String && userId.GetString() is { Length: > 0 } id
                ? id
                : null;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A request as Meta signs it, for tests and tools.</summary>
    public static string Sign(string payloadJson, string appSecret)
    {
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(payload))) + "." + payload;
    }
}
