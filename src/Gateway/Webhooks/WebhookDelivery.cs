using System.Buffers;

namespace Gateway.Webhooks;

/// <summary>A signed delivery's body in a buffer rented from the shared pool: whoever holds it last returns it, once
/// the events are parsed (the processor) or when the delivery is refused (the endpoint).</summary>
public sealed class WebhookDelivery : IDisposable
{
    private byte[]? _buffer;

    private WebhookDelivery(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(0, Length);

    /// <summary>Reads the request body into a pooled buffer sized by <c>Content-Length</c> (grown from a small one when
    /// the client sends none), never past <paramref name="maxBytes"/>: null when the body is longer.</summary>
    public static async Task<WebhookDelivery?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        // One byte over the limit tells a body that is too long from one that fits exactly.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                var capacity = Math.Min(buffer.Length, maxBytes + 1);
                if (length == capacity)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                    continue;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, capacity - length), cancellationToken);
                if (read == 0)
                {
                    return new WebhookDelivery(buffer, length);
                }
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
