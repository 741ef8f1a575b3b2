using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// A setting that fails validation or cannot be read as its type stops start-up with one line naming its key and exit
/// code 1, rather than an unhandled-exception abort (exit 134) that an operator has to read a stack trace to understand.
/// </summary>
public static class ConfigurationFailure
{
    public const int ExitCode = 1;

    /// <summary>What is wrong with the settings, when <paramref name="failure"/> is about them; otherwise null.</summary>
    public static string? Describe(Exception failure) => failure switch
    {
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        InvalidSettingsException invalid => invalid.Message,
        // The binder's own message names the key and the type it wanted.
        InvalidOperationException unreadable when unreadable.TargetSite?.DeclaringType == typeof(ConfigurationBinder) => unreadable.Message,
        _ => null,
    };

    public static async Task<int> ReportAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"The gateway did not start: {problem}");
        return ExitCode;
    }
}
