using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Paging;

/// <summary>Opaque item cursors: one cursor names one item of one list, so <c>after</c> and <c>before</c> are symmetric.
/// The bytes are "AQH", a hash of the list and the item's position, in base64url, which makes them look like Meta's
/// <c>QVFI...</c> cursors. A cursor of another list does not decode.</summary>
internal static class Cursor
{
    private const int Length = 3 + sizeof(ulong) + sizeof(int);
    private const int MaxTextLength = 64;

    public static string Encode(ulong list, int index)
    {
        Span<byte> bytes = stackalloc byte[Length];
        "AQH"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[3..], list);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[11..], ((uint)index ^ (uint)list) * Spread);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position the cursor names in the list, or a Graph error when it names no item of this list.</summary>
    public static int Decode(string cursor, ulong list, int count, string parameter)
    {
        Span<byte> bytes = stackalloc byte[MaxTextLength];
        if (cursor.Length > MaxTextLength
            || Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != OperationStatus.Done
            || written != Length
            || !bytes[..3].SequenceEqual("AQH"u8)
            || BinaryPrimitives.ReadUInt64BigEndian(bytes[3..]) != list)
        {
            throw GraphErrors.InvalidCursor(parameter);
        }
        var index = (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes[11..]) * Unspread ^ (uint)list);
        return index >= 0 && index < count ? index : throw GraphErrors.InvalidCursor(parameter);
    }

    // Neighbouring cursors should not look alike: positions are mixed with the list and spread by an odd factor (and its inverse).
    private const uint Spread = 0x9E3779B1;
    private const uint Unspread = 0x0E8B2F51;

    /// <summary>A stable 64-bit name for a list (FNV-1a over its parts), the same in every process.</summary>
    public static ulong ListKey(params ReadOnlySpan<string> parts)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
            hash = (hash ^ '|') * 1099511628211UL;
        }
        return hash;
    }
}
