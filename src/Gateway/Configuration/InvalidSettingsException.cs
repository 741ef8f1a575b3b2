namespace Gateway.Configuration;

/// <summary>A start-up check of settings failed; the message says which keys to set, and never their values.</summary>
public sealed class InvalidSettingsException(string message, Exception? cause = null) : InvalidOperationException(message, cause);
