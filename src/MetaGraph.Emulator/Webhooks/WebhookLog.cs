namespace MetaGraph.Emulator.Webhooks;

/// <summary>One webhook POST: <see cref="Status"/> is <c>pending</c>, <c>delivered</c> or <c>failed</c> (attempts used up);
/// <see cref="HttpStatus"/> is the last answer's status, null when the receiver could not be reached; a
/// <see cref="Duplicate"/> is a deliberate second delivery of the POST before it.</summary>
internal sealed record WebhookDeliveryRecord(int Id, string Object, int Events, int Attempts, string Status, int? HttpStatus, bool Duplicate);

/// <summary>The webhook POSTs made, for <c>GET /_emulator/webhooks</c>. Thread-safe.</summary>
internal sealed class WebhookLog
{
    private readonly Lock _gate = new();
    private readonly List<WebhookDeliveryRecord> _deliveries = [];

    public IReadOnlyList<WebhookDeliveryRecord> Snapshot()
    {
        lock (_gate)
        {
            return _deliveries.ToArray();
        }
    }

    public int Start(string objectName, int events, bool duplicate)
    {
        lock (_gate)
        {
            _deliveries.Add(new WebhookDeliveryRecord(_deliveries.Count + 1, objectName, events, 0, "pending", null, duplicate));
            return _deliveries.Count;
        }
    }

    public void Attempted(int id, int? httpStatus, string status)
    {
        lock (_gate)
        {
            var delivery = _deliveries[id - 1];
            _deliveries[id - 1] = delivery with { Attempts = delivery.Attempts + 1, HttpStatus = httpStatus, Status = status };
        }
    }
}
