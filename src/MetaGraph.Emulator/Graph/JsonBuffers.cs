using System.Buffers;
using System.Collections.Concurrent;

namespace MetaGraph.Emulator.Graph;

/// <summary>Reused response buffers: an answer is written whole before it is sent, so an error found half-way
/// replaces it cleanly.</summary>
internal static class JsonBuffers
{
    private const int MaxPooled = 64;
    private const int MaxPooledCapacity = 1 << 20;
    private static readonly ConcurrentQueue<ArrayBufferWriter<byte>> Pool = new();

    public static ArrayBufferWriter<byte> Rent() => Pool.TryDequeue(out var buffer) ? buffer : new ArrayBufferWriter<byte>(16 * 1024);

    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxPooledCapacity && Pool.Count < MaxPooled)
        {
            buffer.ResetWrittenCount();
            Pool.Enqueue(buffer);
        }
    }
}
