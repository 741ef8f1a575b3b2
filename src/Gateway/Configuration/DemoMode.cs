namespace Gateway.Configuration;

/// <summary>
/// The demo: the gateway serves an emulator's demo Pages, with their tokens configured here. It runs when asked for with
/// <c>Meta:UseEmulator=true</c>, or in Development when no <c>Meta:GraphApiBaseUrl</c> is configured. The emulator is the
/// embedded one (in this process), or, when <c>Meta:GraphApiBaseUrl</c> is set, the standalone one at that URL.
/// </summary>
public static class DemoMode
{
    public const string UseEmulatorKey = "Meta:UseEmulator";
    public const string GraphApiBaseUrlKey = "Meta:GraphApiBaseUrl";

    public static bool IsOn(IConfiguration configuration, IHostEnvironment environment)
        => configuration.GetValue<bool?>(UseEmulatorKey) ?? (environment.IsDevelopment() && string.IsNullOrEmpty(configuration[GraphApiBaseUrlKey]));

    /// <summary>The standalone emulator the demo reads, when one is named; null for the embedded one.</summary>
    public static Uri? StandaloneEmulator(IConfiguration configuration)
        => configuration[GraphApiBaseUrlKey] is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null;
}
