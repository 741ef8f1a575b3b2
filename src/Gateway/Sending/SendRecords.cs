using System.Security.Cryptography;
using System.Text;
using Gateway.Inbox;

namespace Gateway.Sending;

public enum SendState
{
    /// <summary>An instance is sending it now.</summary>
    Pending,
    /// <summary>Delivered: <see cref="SendRecord.Sent"/> holds the message.</summary>
    Sent,
    /// <summary>Its request may have reached Meta, and no answer or echo has said whether it did.</summary>
    OutcomeUnknown,
}

/// <summary>What became of the send of one idempotency key: its state, a fingerprint of what was asked (the same key for
/// another message is refused), when it started, and the delivered message as the spine carries its echo.</summary>
public sealed record SendRecord(SendState State, string Fingerprint, DateTimeOffset StartedAt, InboxEvent? Sent = null);

/// <summary>
/// Idempotency records per Page and key, kept <see cref="SendOptions.IdempotencyKeyLifetime"/>: in Redis when configured
/// (all instances see one record), in memory otherwise. Keys are the hash of the caller's key (<see cref="SendKeys"/>).
/// Only a pending record can be claimed over, completed or forgotten, so an echo that told the outcome first is never
/// overwritten by the sender's "unknown".
/// </summary>
public interface ISendRecords
{
    /// <summary>Records <paramref name="pending"/> unless a record exists: null when it was recorded (the caller sends), else
    /// the record found.</summary>
    Task<SendRecord?> ClaimAsync(string pageId, string keyHash, SendRecord pending);

    Task<SendRecord?> GetAsync(string pageId, string keyHash);

    /// <summary>Records how the owner's send ended, unless the record is no longer pending (its echo said first); answers the
    /// record kept.</summary>
    Task<SendRecord> CompleteAsync(string pageId, string keyHash, SendRecord outcome);

    /// <summary>The send's echo arrived: a pending or unknown record becomes sent with <paramref name="echo"/>.</summary>
    Task ResolveAsync(string pageId, string keyHash, InboxEvent echo);

    /// <summary>Drops a pending record: Meta or the gateway refused the send, nothing was delivered, the key is free again.</summary>
    Task ForgetAsync(string pageId, string keyHash);
}

/// <summary>How idempotency keys are kept and recognised: by hash (a key is the caller's text), and in the <c>metadata</c> of the
/// message, which only its echo carries back, so the echo of a send whose answer was lost names its record.</summary>
public static class SendKeys
{
    public const int MaxKeyLength = 255;
    private const string MetadataPrefix = "gateway-send:";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Metadata(string keyHash) => MetadataPrefix + keyHash;

    /// <summary>The key hash an echo's metadata names, when the gateway sent the message with a key.</summary>
    public static string? HashIn(string? metadata)
        => metadata is { Length: > 0 } && metadata.StartsWith(MetadataPrefix, StringComparison.Ordinal) ? metadata[MetadataPrefix.Length..] : null;
}

/// <summary>Resolves a send whose outcome was unknown when its echo arrives (on every instance: the write is idempotent).</summary>
public sealed class SendEchoes(ISendRecords records) : IInboxEventConsumer
{
    public async Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        if (inboxEvent.Kind == InboxEventKind.Echo && SendKeys.HashIn(inboxEvent.Message?.Metadata) is { } keyHash)
        {
            await records.ResolveAsync(inboxEvent.PageId, keyHash, inboxEvent);
        }
    }
}
