using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MetaGraph;

/// <summary>Where the Graph API is and how calls are signed; bound from the <c>Meta</c> configuration section.
/// Access tokens are not options: every call takes its token explicitly.</summary>
public sealed class MetaGraphOptions
{
    public const string SectionName = "Meta";

    /// <summary>The Graph API host, without the version: <c>https://graph.facebook.com</c> or an emulator's address.</summary>
    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>The Graph API version every path starts with, such as <c>v25.0</c>.</summary>
    public string GraphApiVersion { get; set; } = "v25.0";

    /// <summary>When set, every call carries <c>appsecret_proof</c>.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The app's id: with <see cref="AppSecret"/>, the app's own token for the ID Matching API
    /// (<see cref="IMetaIdMatchingClient"/>), which maps the person a data deletion request names to their Page-scoped ids.</summary>
    public string? AppId { get; set; }

    /// <summary>Sign <c>token|unix_time</c> and send <c>appsecret_time</c> (Meta's newer, replay-limited proof).</summary>
    public bool AppSecretProofWithTime { get; set; }

    /// <summary>How long a Send API call may take before its outcome is reported unknown. It is never retried (see
    /// <see cref="IMetaSendClient"/>), so this bounds the wait alone.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>{GraphApiBaseUrl}/{GraphApiVersion}/</c>: every request path is relative to it.</summary>
    public Uri VersionedBaseAddress => new($"{GraphApiBaseUrl.TrimEnd('/')}/{GraphApiVersion}/");
}

internal sealed partial class MetaGraphOptionsValidator : IValidateOptions<MetaGraphOptions>
{
    public ValidateOptionsResult Validate(string? name, MetaGraphOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.GraphApiBaseUrl, UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("http" or "https") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
        {
            failures.Add($"{MetaGraphOptions.SectionName}:{nameof(MetaGraphOptions.GraphApiBaseUrl)} must be an absolute http(s) URL " +
                $"without query or fragment, such as https://graph.facebook.com; it is '{options.GraphApiBaseUrl}'.");
        }
        if (options.GraphApiVersion is null || !VersionPattern().IsMatch(options.GraphApiVersion))
        {
            failures.Add($"{MetaGraphOptions.SectionName}:{nameof(MetaGraphOptions.GraphApiVersion)} must look like v25.0; " +
                $"it is '{options.GraphApiVersion}'.");
        }
        if (options.SendTimeout <= TimeSpan.Zero || options.SendTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{MetaGraphOptions.SectionName}:{nameof(MetaGraphOptions.SendTimeout)} must be more than 0 and at most 00:05:00; " +
                $"it is '{options.SendTimeout}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();
}
