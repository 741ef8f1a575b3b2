using MetaGraph.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>The emulator's clock as a gateway's <see cref="TimeProvider"/>: one "now" for Meta and the gateway, which a test
/// moves or stops through <see cref="EmulatorServer.Clock"/>. Timers and elapsed-time stamps stay real.</summary>
public sealed class EmulatorTimeProvider(EmulatorClock clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock.Now;
}
