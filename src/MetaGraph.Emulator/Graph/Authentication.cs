using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Graph;

/// <summary>Page access tokens and, when the emulator has an app secret, <c>appsecret_proof</c>: the hex HMAC-SHA256 of
/// the token, or of <c>token|appsecret_time</c> for a proof that is valid five minutes.</summary>
internal sealed class Authentication(string? appSecret, TimeProvider time)
{
    private static readonly TimeSpan ProofTimeValidity = TimeSpan.FromMinutes(5);

    /// <summary>The <c>access_token</c> parameter, else an <c>Authorization: Bearer</c> (or <c>OAuth</c>) header.</summary>
    public static string? TokenOf(string? parameter, HttpRequest request)
    {
        if (!string.IsNullOrEmpty(parameter))
        {
            return parameter;
        }
        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Bearer ", "OAuth "])
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }
        return null;
    }

    /// <summary>The Page of <paramref name="data"/> the token belongs to, or the Graph error Meta would answer.</summary>
    public PageData Authenticate(InboxData data, string? token, string? proof, string? proofTime)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw GraphErrors.MissingToken();
        }
        var page = data.FindPageByToken(token) ?? throw GraphErrors.InvalidToken();
        if (appSecret is not null)
        {
            CheckProof(token, proof, proofTime);
        }
        return page;
    }

    private void CheckProof(string token, string? proof, string? proofTime)
    {
        if (string.IsNullOrEmpty(proof))
        {
            throw GraphErrors.MissingProof();
        }
        var signed = token;
        if (proofTime is not null)
        {
            if (!long.TryParse(proofTime, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > ProofTimeValidity)
            {
                throw GraphErrors.InvalidProof();
            }
            signed = $"{token}|{proofTime}";
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret!), Encoding.UTF8.GetBytes(signed));
        Span<byte> given = stackalloc byte[expected.Length];
        if (proof.Length != expected.Length * 2
            || Convert.FromHexString(proof, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != expected.Length
            || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            throw GraphErrors.InvalidProof();
        }
    }
}
