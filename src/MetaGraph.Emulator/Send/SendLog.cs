namespace MetaGraph.Emulator.Send;

/// <summary>Every Send API call processed, in order, for tests to see exactly what was delivered. Thread-safe.</summary>
internal sealed class SendLog
{
    private readonly Lock _gate = new();
    private readonly List<SentMessage> _sends = [];

    public void Add(SentMessage send)
    {
        lock (_gate)
        {
            _sends.Add(send);
        }
    }

    public IReadOnlyList<SentMessage> Snapshot()
    {
        lock (_gate)
        {
            return _sends.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _sends.Clear();
        }
    }
}
