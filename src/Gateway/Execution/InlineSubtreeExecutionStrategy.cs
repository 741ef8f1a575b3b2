using System.Runtime.CompilerServices;
using System.Text.Json;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;

namespace Gateway.Execution;

/// <summary>
/// GraphQL.NET's parallel execution, except that an object whose whole selection resolves at once is executed in one
/// synchronous pass (<see cref="SubtreeRun"/>) instead of an execution node, an async step and a field collection per
/// field and per object. Once Graph has answered, an inbox's hundred messages are such a selection: node by node they
/// cost about a thousand nodes, a third of the gateway's CPU per uncached read.
/// <para>
/// Every object node is tried. A selection that cannot be inlined (an interface or union inside), or whose pass stops (a
/// DataLoader result, a resolver still running or throwing, a null in a non-null field), is executed node by node as
/// before, from the same object, so answers and errors are GraphQL.NET's. A field's selection that stops more often than
/// it completes is not tried again, so a query that always loads (say, avatars) does not resolve its fields twice.
/// </para>
/// </summary>
public sealed class InlineSubtreeExecutionStrategy : ParallelExecutionStrategy
{
    private readonly ConditionalWeakTable<GraphQLField, InlineRecord> _records = new();

    protected override ExecutionNode BuildExecutionNode(ExecutionNode parent, IGraphType graphType, GraphQLField field, FieldType fieldDefinition, int? indexInParentNode = null)
    {
        var named = graphType is NonNullGraphType nonNull ? nonNull.ResolvedType : graphType;
        if (named is IObjectGraphType && field.SelectionSet is not null
            && (!_records.TryGetValue(field, out var record) || record.WorthTrying))
        {
            return new InlineSubtreeNode(parent, named, field, fieldDefinition, indexInParentNode);
        }
        return base.BuildExecutionNode(parent, graphType, field, fieldDefinition, indexInParentNode);
    }

    protected override void SetSubFieldNodes(GraphQL.Execution.ExecutionContext context, ObjectExecutionNode parent)
    {
        if (parent is InlineSubtreeNode node && !context.Metrics.Enabled && TryInline(context, node))
        {
            return;
        }
        base.SetSubFieldNodes(context, parent);
    }

    private bool TryInline(GraphQL.Execution.ExecutionContext context, InlineSubtreeNode node)
    {
        var record = _records.GetValue(node.Field, static _ => new InlineRecord());
        var plan = record.PlanFor(context, node, this);
        if (plan is null)
        {
            return false;
        }
        var run = SubtreeRun.Execute(context, plan, node.Result!, record.ExpectedSlots);
        record.Count(run);
        if (run is null)
        {
            return false;
        }
        node.Inline(plan, run);
        return true;
    }

    /// <summary>What the strategy remembers of one AST field's selection: its plan, when that does not depend on the
    /// request (no directive anywhere in it: <c>@skip</c>/<c>@include</c> take variables), and how its passes went.</summary>
    private sealed class InlineRecord
    {
        private SubtreeObjectPlan? _plan;
        private bool _planned;
        private int _completed;
        private int _stopped;

        public int ExpectedSlots { get; private set; }

        public bool WorthTrying => !(Volatile.Read(ref _planned) && _plan is null) && Volatile.Read(ref _stopped) <= Volatile.Read(ref _completed);

        public SubtreeObjectPlan? PlanFor(GraphQL.Execution.ExecutionContext context, InlineSubtreeNode node, InlineSubtreeExecutionStrategy strategy)
        {
            if (Volatile.Read(ref _planned))
            {
                return _plan;
            }
            var type = (IObjectGraphType)node.GraphType;
            var plan = SubtreeObjectPlan.For(nonNull: false, type, node.Field.SelectionSet!,
                (objectType, selectionSet) => strategy.CollectFieldsFrom(context, objectType, selectionSet, null));
            if (!Directives.In(node.Field.SelectionSet!, context.Document))
            {
                _plan = plan;
                Volatile.Write(ref _planned, true);
            }
            return plan;
        }

        public void Count(SubtreeRun? run)
        {
            if (run is null)
            {
                Interlocked.Increment(ref _stopped);
                return;
            }
            Interlocked.Increment(ref _completed);
            ExpectedSlots = run.Count;
        }
    }

    private static class Directives
    {
        /// <summary>Whether any selection under <paramref name="selectionSet"/>, fragments included, carries a directive.</summary>
        public static bool In(GraphQLSelectionSet selectionSet, GraphQLDocument document)
        {
            foreach (var selection in selectionSet.Selections)
            {
                if (selection is IHasDirectivesNode { Directives.Count: > 0 })
                {
                    return true;
                }
                var inner = selection switch
                {
                    GraphQLField field => field.SelectionSet,
                    GraphQLInlineFragment inline => inline.SelectionSet,
                    GraphQLFragmentSpread spread => document.FindFragmentDefinition(spread.FragmentName.Name.Value)?.SelectionSet,
                    _ => null,
                };
                if (inner is not null && In(inner, document))
                {
                    return true;
                }
            }
            return false;
        }
    }
}

/// <summary>An object node whose selection may be executed inline: then it holds the values and writes them itself, and
/// has no sub-field nodes.</summary>
public sealed class InlineSubtreeNode(ExecutionNode parent, IGraphType graphType, GraphQLField field, FieldType fieldDefinition, int? indexInParentNode)
    : ObjectExecutionNode(parent, graphType, field, fieldDefinition, indexInParentNode)
{
    private SubtreeObjectPlan? _plan;
    private SubtreeRun? _run;

    public bool IsInline => _run is not null;

    public void Inline(SubtreeObjectPlan plan, SubtreeRun run)
    {
        _plan = plan;
        _run = run;
    }

    public void WriteTo(Utf8JsonWriter writer, JsonSerializerOptions options) => _run!.WriteTo(writer, _plan!, options);

    public override object? ToValue() => _run is null ? base.ToValue() : _run.ToValue(_plan!);

    // An inline pass completed only with every non-null field non-null: nothing to propagate.
    public override bool PropagateNull() => _run is null ? base.PropagateNull() : false;
}
