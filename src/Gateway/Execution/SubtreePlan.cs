using System.Collections;
using System.Text.Json;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Execution;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>
/// What an object's selection resolves to, field by field, worked out once: which resolver gives each field, and what
/// kind of value (leaf, object, list) completes it. <see cref="SubtreeRun"/> executes it over one source object in a
/// single synchronous pass, without an execution node per field.
/// </summary>
public abstract class SubtreeValuePlan(bool nonNull)
{
    /// <summary>Null here is a field error, which only GraphQL.NET's execution reports (with its path and null propagation).</summary>
    public bool NonNull { get; } = nonNull;

    /// <summary>The plan for values of <paramref name="type"/> selected by <paramref name="field"/>; null when something in the
    /// selection needs the node-by-node execution (an interface or union, whose object type is decided per value).</summary>
    public static SubtreeValuePlan? For(IGraphType type, GraphQLField field, SubtreeFields collect)
    {
        var nonNull = type is NonNullGraphType;
        var named = type is NonNullGraphType wrapped ? wrapped.ResolvedType! : type;
        return named switch
        {
            ListGraphType list => For(list.ResolvedType!, field, collect) is { } item ? new SubtreeListPlan(nonNull, item) : null,
            ScalarGraphType scalar => new SubtreeLeafPlan(nonNull, scalar),
            IObjectGraphType objectType => SubtreeObjectPlan.For(nonNull, objectType, field.SelectionSet!, collect),
            _ => null,
        };
    }
}

public sealed class SubtreeLeafPlan(bool nonNull, ScalarGraphType scalar) : SubtreeValuePlan(nonNull)
{
    public ScalarGraphType Scalar { get; } = scalar;
}

public sealed class SubtreeListPlan(bool nonNull, SubtreeValuePlan item) : SubtreeValuePlan(nonNull)
{
    public SubtreeValuePlan Item { get; } = item;
}

public sealed class SubtreeObjectPlan : SubtreeValuePlan
{
    private SubtreeObjectPlan(bool nonNull, IObjectGraphType type, SubtreeField[] fields) : base(nonNull)
    {
        Type = type;
        Fields = fields;
    }

    public IObjectGraphType Type { get; }

    public SubtreeField[] Fields { get; }

    /// <summary>The fields GraphQL.NET's execution would collect (fragments, type conditions, <c>@skip</c>/<c>@include</c>,
    /// merged duplicates), each with its own plan.</summary>
    public static SubtreeObjectPlan? For(bool nonNull, IObjectGraphType type, GraphQLSelectionSet selectionSet, SubtreeFields collect)
    {
        var collected = collect(type, selectionSet);
        var fields = new SubtreeField[collected.Count];
        var index = 0;
        foreach (var (name, (ast, definition)) in collected)
        {
            if (definition is TypeNameMetaFieldType)
            {
                fields[index++] = new SubtreeField(name, ast, definition, null, TypeName: true, null);
                continue;
            }
            if (SubtreeValuePlan.For(definition.ResolvedType!, ast, collect) is not { } value)
            {
                return null;
            }
            fields[index++] = new SubtreeField(name, ast, definition, definition.Resolver ?? NameFieldResolver.Instance, TypeName: false, value);
        }
        return new SubtreeObjectPlan(nonNull, type, fields);
    }
}

/// <summary>One response key of an object: its AST field (merged when the selection repeats it), definition and value plan.</summary>
public sealed record SubtreeField(string Name, GraphQLField Ast, FieldType Definition, IFieldResolver? Resolver, bool TypeName, SubtreeValuePlan? Value)
{
    public JsonEncodedText JsonName { get; } = JsonEncodedText.Encode(Name, MinimalJsonEscaping.Instance);

    public bool HasArguments { get; } = Ast.Arguments is { Count: > 0 };
}

/// <summary>The execution strategy's field collection, so that a plan collects exactly what node-by-node execution would.</summary>
public delegate Dictionary<string, (GraphQLField Field, FieldType FieldType)> SubtreeFields(IObjectGraphType type, GraphQLSelectionSet selectionSet);

/// <summary>
/// One execution of a plan over a source object: the values in the order the plan writes them (a leaf's serialized value;
/// an object's source, then its fields; a list's length, then its items), null where the value is null. It stops at the
/// first value it cannot complete at once: a DataLoader result, a resolver still running or failing, a null where the
/// schema says non-null. The node then executes the selection node by node, which batches the loads and reports the
/// errors as GraphQL.NET does.
/// </summary>
public sealed class SubtreeRun
{
    private readonly GraphQL.Execution.ExecutionContext _execution;
    private readonly ResolveFieldContext _resolve;
    private object?[] _slots;
    private int _count;

    private SubtreeRun(GraphQL.Execution.ExecutionContext execution, int expectedSlots)
    {
        _execution = execution;
        _slots = new object?[Math.Max(expectedSlots, 8)];
        _resolve = new ResolveFieldContext
        {
            Schema = execution.Schema,
            Document = execution.Document,
            Operation = execution.Operation,
            Variables = execution.Variables,
            RootValue = execution.RootValue,
            UserContext = execution.UserContext,
            CancellationToken = execution.CancellationToken,
            Metrics = execution.Metrics,
            Errors = execution.Errors,
            RequestServices = execution.RequestServices,
            InputExtensions = execution.InputExtensions,
            OutputExtensions = execution.OutputExtensions,
            ArrayPool = execution,
            User = execution.User,
            ExecutionContext = execution,
            // No resolver here reads its path: errors, which carry one, are reported by the node-by-node execution.
            Path = [],
            ResponsePath = [],
        };
    }

    public int Count => _count;

    /// <summary>Executes <paramref name="plan"/> over <paramref name="source"/>; null when it stopped (see the class).</summary>
    public static SubtreeRun? Execute(GraphQL.Execution.ExecutionContext execution, SubtreeObjectPlan plan, object source, int expectedSlots)
    {
        var run = new SubtreeRun(execution, expectedSlots);
        try
        {
            return run.TryObject(plan, source) ? run : null;
        }
        catch (Exception)
        {
            // A resolver, a scalar or a list's enumeration threw: the node-by-node execution meets it again and reports it.
            return null;
        }
    }

    private bool TryObject(SubtreeObjectPlan plan, object source)
    {
        foreach (var field in plan.Fields)
        {
            if (field.TypeName)
            {
                Add(plan.Type.Name);
                continue;
            }
            if (!TryResolve(plan.Type, field, source, out var value) || !TryComplete(field.Value!, value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>False while the resolver is still running.</summary>
    private bool TryResolve(IObjectGraphType parentType, SubtreeField field, object source, out object? value)
    {
        value = null;
        var context = _resolve;
        context.Source = source;
        context.FieldAst = field.Ast;
        context.FieldDefinition = field.Definition;
        context.ParentType = parentType;
        context.Arguments = ArgumentsOf(field);
        context.Directives = _execution.GetDirectives(field.Ast);
        var resolving = field.Resolver!.ResolveAsync(context);
        if (!resolving.IsCompletedSuccessfully)
        {
            // Still running (or failed): let it finish unobserved; the node-by-node execution resolves the field again.
            _ = resolving.AsTask().ContinueWith(static task => task.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            return false;
        }
        value = resolving.Result;
        return true;
    }

    /// <summary>The request's values for the field's arguments. A duplicate field merged by the field collection is a new
    /// AST node the request's argument values do not know, so its arguments are read from the AST as GraphQL.NET would.</summary>
    private IDictionary<string, ArgumentValue>? ArgumentsOf(SubtreeField field)
    {
        if (field.HasArguments && _execution.ArgumentValues?.ContainsKey(field.Ast) != true)
        {
            return ExecutionHelper.GetArguments(field.Definition.Arguments, field.Ast.Arguments, _execution.Variables, _execution.Document, field.Ast, null);
        }
        return _execution.GetArguments(field.Definition, field.Ast);
    }

    private bool TryComplete(SubtreeValuePlan plan, object? value)
    {
        if (value is null)
        {
            Add(null);
            return !plan.NonNull;
        }
        if (value is IDataLoaderResult)
        {
            return false;
        }
        switch (plan)
        {
            case SubtreeLeafPlan leaf:
                var serialized = leaf.Scalar.Serialize(value);
                Add(serialized);
                return serialized is not null || !plan.NonNull;
            case SubtreeObjectPlan objectPlan:
                if (objectPlan.Type is { IsTypeOf: { } isTypeOf, SkipTypeCheck: false } && !isTypeOf(value))
                {
                    return false;
                }
                Add(value);
                return TryObject(objectPlan, value);
            case SubtreeListPlan list when value is IEnumerable items and not string:
                var at = _count;
                Add(null);
                var length = 0;
                // By index when it can, as GraphQL.NET does: some lists (its introspection's) only enumerate generically.
                if (items is IList indexed)
                {
                    for (; length < indexed.Count; length++)
                    {
                        if (!TryComplete(list.Item, indexed[length]))
                        {
                            return false;
                        }
                    }
                }
                else
                {
                    foreach (var item in items)
                    {
                        if (!TryComplete(list.Item, item))
                        {
                            return false;
                        }
                        length++;
                    }
                }
                _slots[at] = Length(length);
                return true;
            default:
                return false;
        }
    }

    private void Add(object? value)
    {
        if (_count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }
        _slots[_count++] = value;
    }

    /// <summary>A list's length as its slot holds it: boxed once for the lengths lists usually have.</summary>
    private static object Length(int length) => length < BoxedLengths.Length ? BoxedLengths[length] : length;

    private static readonly object[] BoxedLengths = [.. Enumerable.Range(0, 256).Select(length => (object)length)];

    /// <summary>Writes the object <paramref name="plan"/> executed to, as GraphQL.NET's result would serialize.</summary>
    public void WriteTo(Utf8JsonWriter writer, SubtreeObjectPlan plan, JsonSerializerOptions options)
    {
        var index = 0;
        WriteObject(writer, plan, ref index, options);
    }

    private void WriteObject(Utf8JsonWriter writer, SubtreeObjectPlan plan, ref int index, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var field in plan.Fields)
        {
            writer.WritePropertyName(field.JsonName);
            if (field.TypeName)
            {
                writer.WriteStringValue((string)_slots[index++]!);
                continue;
            }
            WriteValue(writer, field.Value!, ref index, options);
        }
        writer.WriteEndObject();
    }

    private void WriteValue(Utf8JsonWriter writer, SubtreeValuePlan plan, ref int index, JsonSerializerOptions options)
    {
        var slot = _slots[index++];
        switch (plan)
        {
            case var _ when slot is null:
                writer.WriteNullValue();
                break;
            case SubtreeLeafPlan:
                ExecutionResultWriter.WriteLeaf(writer, slot, options);
                break;
            case SubtreeObjectPlan objectPlan:
                WriteObject(writer, objectPlan, ref index, options);
                break;
            case SubtreeListPlan list:
                writer.WriteStartArray();
                for (var item = (int)slot; item > 0; item--)
                {
                    WriteValue(writer, list.Item, ref index, options);
                }
                writer.WriteEndArray();
                break;
        }
    }

    /// <summary>The object as GraphQL.NET's nodes give it (<see cref="ExecutionNode.ToValue"/>): dictionaries, arrays and leaves.</summary>
    public Dictionary<string, object?> ToValue(SubtreeObjectPlan plan)
    {
        var index = 0;
        return ObjectValue(plan, ref index);
    }

    private Dictionary<string, object?> ObjectValue(SubtreeObjectPlan plan, ref int index)
    {
        var value = new Dictionary<string, object?>(plan.Fields.Length);
        foreach (var field in plan.Fields)
        {
            value.Add(field.Name, field.TypeName ? _slots[index++] : Value(field.Value!, ref index));
        }
        return value;
    }

    private object? Value(SubtreeValuePlan plan, ref int index)
    {
        var slot = _slots[index++];
        switch (plan)
        {
            case var _ when slot is null:
                return null;
            case SubtreeObjectPlan objectPlan:
                return ObjectValue(objectPlan, ref index);
            case SubtreeListPlan list:
                var items = new object?[(int)slot];
                for (var item = 0; item < items.Length; item++)
                {
                    items[item] = Value(list.Item, ref index);
                }
                return items;
            default:
                return slot;
        }
    }
}
