using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MetaGraph.Json;

/// <summary>Source-generated (de)serialization for everything the client reads and writes, so the hot path
/// needs no reflection. <see cref="JsonElement"/>s read through it lose the credentials in paging URLs.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SecretFreeJsonElementConverter)])]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(GraphList<Conversation>))]
[JsonSerializable(typeof(GraphList<Message>))]
[JsonSerializable(typeof(GraphList<PageScopedId>))]
[JsonSerializable(typeof(Dictionary<string, Conversation>))]
[JsonSerializable(typeof(Dictionary<string, Message>))]
[JsonSerializable(typeof(Participant))]
[JsonSerializable(typeof(Dictionary<string, Participant>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(IReadOnlyList<BatchRequest>))]
[JsonSerializable(typeof(List<BatchResponseItem?>))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
[JsonSerializable(typeof(SendAnswer))]
[JsonSerializable(typeof(AppUsageHeader))]
[JsonSerializable(typeof(Dictionary<string, List<BusinessUseCaseUsageHeader>>))]
internal sealed partial class MetaGraphJsonContext : JsonSerializerContext
{
    /// <summary>The metadata for <typeparamref name="T"/>, or a clear error when the client cannot read it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>()
        => Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw new NotSupportedException(
            $"The Graph API client cannot read {typeof(T)}: use {nameof(Conversation)}, {nameof(Message)}, {nameof(Participant)}, " +
            $"{nameof(JsonElement)}, or a {nameof(GraphList<>)} of one of them.");
}
