using System.ComponentModel.DataAnnotations;

namespace Gateway.Http;

public sealed class CrossOriginOptions
{
    public const string Section = "Gateway:Cors";

    /// <summary>Origins whose browser apps may call the gateway (<c>https://app.example.com</c>); none by default. <c>*</c>
    /// allows every origin, and only without credentials.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Lets browsers send cookies and HTTP authentication along (never with <c>*</c>).</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>How long a browser may reuse a preflight answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}
