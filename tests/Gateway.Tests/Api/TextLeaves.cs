using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api;

namespace Gateway.Tests.Api;

internal static class TextLeaves
{
    /// <summary>The JSON a leaf writes into a response.</summary>
    public static string Written(object? leaf)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Assert.IsAssignableFrom<ITextLeaf>(leaf).WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
