using System.ComponentModel.DataAnnotations;

namespace Gateway.Hosting;

/// <summary><c>Meta:Emulator</c>: the embedded emulator of the demo.</summary>
public sealed class DemoEmulatorOptions
{
    public const string Section = "Meta:Emulator";

    /// <summary>The loopback port the embedded emulator listens on, so README's curl commands work as written; when it is
    /// taken (another gateway, a standalone emulator), any free port, which the banner prints. 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5090;
}
