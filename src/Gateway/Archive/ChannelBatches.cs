using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Gateway.Archive;

/// <summary>How the archive's background writers empty their queues: a batch at a time, written in one go.</summary>
public static class ChannelBatches
{
    /// <summary>Whatever the channel holds, up to <paramref name="size"/> at a time, as soon as it holds anything; one list,
    /// emptied after the caller has handled each batch. Ends when the channel is completed.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> ReadBatchesAsync<T>(this ChannelReader<T> reader, int size,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<T>(size);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < size && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            yield return batch;
            batch.Clear();
        }
    }
}
