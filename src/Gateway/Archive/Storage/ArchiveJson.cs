using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MetaGraph;

namespace Gateway.Archive.Storage;

/// <summary>The JSON columns: Graph's own shapes, fields without data omitted as Meta omits them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<Participant>))]
[JsonSerializable(typeof(IReadOnlyList<Attachment>))]
[JsonSerializable(typeof(IReadOnlyList<Share>))]
[JsonSerializable(typeof(IReadOnlyList<Reaction>))]
[JsonSerializable(typeof(IReadOnlyList<MessageTag>))]
[JsonSerializable(typeof(MessageStory))]
[JsonSerializable(typeof(ReplyTo))]
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
[JsonSerializable(typeof(long[]))]
internal sealed partial class ArchiveJson : JsonSerializerContext
{
    public static string? Write<T>(T? value) where T : class
        => value is null ? null : JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!);

    public static T? Read<T>(string? json) where T : class
        => json is null ? null : JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!);
}
