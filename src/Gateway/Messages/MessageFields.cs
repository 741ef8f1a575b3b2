using Gateway.Projection;
using GraphQL;
using GraphQLParser.AST;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>The Graph fields of a message that a query selected, as mapped on <see cref="MessageType"/>'s fields.
/// <c>id</c> and <c>created_time</c> are always read: they come with every listing.</summary>
public readonly record struct MessageFields(ulong Bits)
{
    public static readonly MessageFields None = default;

    /// <summary>Every field: details that hold whatever is known of the message (the archive's copy).</summary>
    public static readonly MessageFields All = new(ulong.MaxValue);

    private static readonly FieldList AlwaysRead = FieldList.Of("id", "created_time");

    // Resolvers ask for every field of every message: the catalog is looked up once.
    private static GraphFieldCatalog? _catalog;

    private static GraphFieldCatalog Catalog => _catalog ??= GraphFieldCatalog.For<MessageType>();

    /// <summary>What the GraphQL field of <see cref="MessageType"/> with this name needs.</summary>
    public static MessageFields Of(string graphQLField) => new(Catalog.FieldsOf(graphQLField));

    public static MessageFields operator |(MessageFields left, MessageFields right) => new(left.Bits | right.Bits);

    /// <summary>Whether these fields include all of <paramref name="other"/>.</summary>
    public bool Covers(MessageFields other) => (Bits & other.Bits) == other.Bits;

    /// <summary>The Graph API fields for a message with these details, e.g. <c>id,created_time,from,message</c>.</summary>
    public FieldList ToFieldList() => Catalog.Render(AlwaysRead, Bits);

    /// <summary>Details selected on a <c>Message</c>.</summary>
    public static MessageFields FromMessage(IEnumerable<GraphQLField> messageFields) => new(Catalog.FieldsOf(messageFields));

    /// <summary>Details selected on the nodes of a <c>MessagesConnection</c> (through <c>nodes</c> or <c>edges.node</c>).
    /// Every conversation of a listing asks with the same selection: the last answer is kept for the request.</summary>
    public static MessageFields FromConnection(IResolveFieldContext context, GraphQLSelectionSet? connectionSelection)
    {
        if (connectionSelection is null)
        {
            return None;
        }
        // The request's user context is a plain dictionary, and resolvers of several listings may run side by side.
        lock (context.UserContext)
        {
            if (context.UserContext.TryGetValue(nameof(LastConnection), out var kept) && kept is LastConnection last && last.Selection == connectionSelection)
            {
                return last.Fields;
            }
            var fields = Read(context, connectionSelection);
            context.UserContext[nameof(LastConnection)] = new LastConnection(connectionSelection, fields);
            return fields;
        }
    }

    private sealed record LastConnection(GraphQLSelectionSet Selection, MessageFields Fields);

    private static MessageFields Read(IResolveFieldContext context, GraphQLSelectionSet connectionSelection)
    {
        var connection = SelectionSets.FieldsOn(context, connectionSelection, "MessagesConnection").ToList();
        var messages = connection.Children(context, "nodes", "Message")
            .Concat(connection.Children(context, "edges", "MessagesEdge").Children(context, "node", "Message"));
        return FromMessage(messages);
    }
}
