using System.Text.Json;
using GraphQL.Types;

namespace Gateway.Api;

/// <summary>
/// A leaf value that writes its own JSON string into the response. An inbox answer carries a global id, a cursor and a
/// timestamp per item; as strings they were a third of an uncached read's allocations, and each was transcoded again to
/// UTF-8 when written. The <c>ID</c>, <c>String</c> and <c>DateTime</c> scalars pass these through unchanged, and
/// <see cref="Execution.ExecutionResultWriter"/> writes them; <see cref="object.ToString"/> gives the same text for anything
/// else.
/// </summary>
public interface ITextLeaf
{
    void WriteTo(Utf8JsonWriter writer);
}

/// <summary>The built-in <c>ID</c>, passing <see cref="GlobalId"/>s through to the serializer.</summary>
public sealed class TextLeafIdGraphType : IdGraphType
{
    public TextLeafIdGraphType() => Name = "ID";

    public override object? Serialize(object? value) => value is ITextLeaf ? value : base.Serialize(value);
}

/// <summary>The built-in <c>String</c>, passing cursors through to the serializer.</summary>
public sealed class TextLeafStringGraphType : StringGraphType
{
    public TextLeafStringGraphType() => Name = "String";

    public override object? Serialize(object? value) => value is ITextLeaf ? value : base.Serialize(value);
}
