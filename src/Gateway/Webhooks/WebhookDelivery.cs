using System.Buffers;
using Microsoft.Extensions.Options;

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

/// <summary>How many deliveries may be read at once (<see cref="WebhookOptions.MaxConcurrentDeliveries"/>).</summary>
public sealed class WebhookReadSlots(IOptions<WebhookOptions> options)
{
    private int _free = options.Value.MaxConcurrentDeliveries;

    public bool TryTake()
    {
        if (Interlocked.Decrement(ref _free) >= 0)
        {
            return true;
        }
        Interlocked.Increment(ref _free);
        return false;
    }

    public void Return() => Interlocked.Increment(ref _free);
}

/// <summary>Instagram webhooks name the Instagram professional account; events name its Page when one is configured
/// (<c>Meta:Pages:&lt;pageId&gt;:InstagramAccountId</c>).</summary>
public sealed class InstagramAccountPages(IOptions<Upstream.ManagedPagesOptions> pages)
{
    private readonly Dictionary<string, string> _pageByAccount = pages.Value.Pages
        .Where(page => !string.IsNullOrEmpty(page.Value.InstagramAccountId))
        .ToDictionary(page => page.Value.InstagramAccountId!, page => page.Key, StringComparer.Ordinal);

    public string PageOf(string account) => _pageByAccount.GetValueOrDefault(account, account);
}
