using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api;
using GraphQL;
using GraphQL.Execution;

namespace Gateway.Execution;

/// <summary>
/// Writes an execution result in GraphQL.NET's shape (<c>errors</c>, <c>data</c>, <c>extensions</c>), walking the
/// execution tree itself: the leaves an answer is made of (strings, numbers, booleans, <see cref="ITextLeaf"/>s) are
/// written by their type rather than each through System.Text.Json's lookup of a converter for an <c>object</c> (an inbox
/// answer has about a thousand). Anything else, and errors and extensions, go through the serializer as before.
/// </summary>
public sealed class ExecutionResultWriter : JsonConverter<ExecutionResult>
{
    public override ExecutionResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("Execution results are only written.");

    public override void Write(Utf8JsonWriter writer, ExecutionResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Errors is { Count: > 0 } errors)
        {
            writer.WritePropertyName("errors");
            JsonSerializer.Serialize(writer, errors, options);
        }
        if (value.Executed)
        {
            writer.WritePropertyName("data");
            if (value.Data is ExecutionNode node)
            {
                WriteNode(writer, node, options);
            }
            else
            {
                JsonSerializer.Serialize(writer, value.Data, options);
            }
        }
        if (value.Extensions is { Count: > 0 } extensions)
        {
            writer.WritePropertyName("extensions");
            JsonSerializer.Serialize(writer, extensions, options);
        }
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, ExecutionNode? node, JsonSerializerOptions options)
    {
        switch (node)
        {
            case InlineSubtreeNode { IsInline: true } inline:
                inline.WriteTo(writer, options);
                break;
            case ObjectExecutionNode { SubFields: { } fields }:
                writer.WriteStartObject();
                foreach (var field in fields)
                {
                    writer.WritePropertyName(field.Name!);
                    WriteNode(writer, field, options);
                }
                writer.WriteEndObject();
                break;
            case ArrayExecutionNode { Items: { } items }:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteNode(writer, item, options);
                }
                writer.WriteEndArray();
                break;
            // A list of scalars, serialized by its scalar in one go.
            case ArrayExecutionNode { SerializedResult: IEnumerable values }:
                writer.WriteStartArray();
                foreach (var value in values)
                {
                    WriteLeaf(writer, value, options);
                }
                writer.WriteEndArray();
                break;
            // Nulled by an error, or null to begin with.
            case null or NullExecutionNode or ObjectExecutionNode or ArrayExecutionNode:
                writer.WriteNullValue();
                break;
            default:
                WriteLeaf(writer, node.ToValue(), options);
                break;
        }
    }

    internal static void WriteLeaf(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case ITextLeaf leaf:
                leaf.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, options);
                break;
        }
    }
}
