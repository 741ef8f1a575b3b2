namespace MetaGraph;

/// <summary>What authenticates one call: the access token and, when an app secret is configured, its proof.
/// Also the one place that knows these values, so it scrubs them from any text that leaves the client.</summary>
internal sealed class GraphCredentials
{
    private const string Redacted = "[redacted]";

    private GraphCredentials(string accessToken, string? proof, long? proofTime)
    {
        AccessToken = accessToken;
        Proof = proof;
        ProofTime = proofTime;
    }

    public string AccessToken { get; }
    public string? Proof { get; }
    public long? ProofTime { get; }

    public static GraphCredentials Create(string accessToken, MetaGraphOptions options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        if (string.IsNullOrEmpty(options.AppSecret))
        {
            return new(accessToken, null, null);
        }
        if (!options.AppSecretProofWithTime)
        {
            return new(accessToken, AppSecretProof.Compute(options.AppSecret, accessToken), null);
        }
        var unixTime = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        return new(accessToken, AppSecretProof.Compute(options.AppSecret, accessToken, unixTime), unixTime);
    }

    /// <summary>The credentials as query or form parameters.</summary>
    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return new("access_token", AccessToken);
        if (Proof is not null)
        {
            yield return new("appsecret_proof", Proof);
        }
        if (ProofTime is { } time)
        {
            yield return new("appsecret_time", time.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A relative URL with the credentials appended to its query string.</summary>
    public string AppendTo(string relativeUrl)
    {
        var separator = relativeUrl.Contains('?') ? '&' : '?';
        var query = string.Join('&', Parameters().Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return $"{relativeUrl}{separator}{query}";
    }

    /// <summary>The text with every credential value replaced, for messages that came from elsewhere.</summary>
    public string Redact(string text)
    {
        text = text.Replace(AccessToken, Redacted, StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(AccessToken), Redacted, StringComparison.Ordinal);
        return Proof is null ? text : text.Replace(Proof, Redacted, StringComparison.Ordinal);
    }
}
