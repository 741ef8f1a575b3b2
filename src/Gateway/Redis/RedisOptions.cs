using System.ComponentModel.DataAnnotations;

namespace Gateway.Redis;

/// <summary><c>Redis</c>: how this gateway names what it keeps in Redis (the connection is <c>ConnectionStrings:Redis</c>).</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>Starts every key and channel, so that two environments (or two gateways) can share one Redis.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9_.\-]+:$", ErrorMessage = "Redis:KeyPrefix must be letters, digits, '_', '.' or '-' ending with ':', such as 'gateway:'.")]
    public string KeyPrefix { get; set; } = "gateway:";
}
