using System.Security.Cryptography;
using System.Text;

namespace MetaGraph;

/// <summary><c>appsecret_proof</c>: lowercase hex HMAC-SHA256 of the access token, keyed with the app secret.
/// The time-based form signs <c>token|unix_time</c> and is sent with <c>appsecret_time</c>.</summary>
public static class AppSecretProof
{
    public static string Compute(string appSecret, string accessToken)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken)));

    public static string Compute(string appSecret, string accessToken, long unixTime)
        => Compute(appSecret, $"{accessToken}|{unixTime}");
}
