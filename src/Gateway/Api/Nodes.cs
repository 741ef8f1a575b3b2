using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Pages;
using Gateway.Projection;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace Gateway.Api;

/// <summary>Relay's Global Object Identification: <c>interface Node { id: ID! }</c>.</summary>
public sealed class NodeInterfaceType : InterfaceGraphType
{
    public NodeInterfaceType()
    {
        Name = "Node";
        Description = "An object with a global id, read back with `node(id:)` (Relay Global Object Identification).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id: opaque and unique across types.");
    }
}

public static class NodeFields
{
    /// <summary>Implements <c>Node</c>: <c>id</c> is the global id of <paramref name="metaId"/>, and <c>metaId</c> Meta's
    /// own, which webhooks and other systems use.</summary>
    public static void ImplementsNode<TSource>(this ObjectGraphType<TSource> type, Func<TSource, string> metaId, string metaIdDescription)
    {
        var typeName = type.Name;
        type.Interface<NodeInterfaceType>();
        type.Field<NonNullGraphType<IdGraphType>>("id")
            .Description($"The global id: opaque and unique across types (`node(id:)` reads it back). Arguments that take this {typeName}'s id accept it or `metaId`.")
            .ReadsGraph("id").Resolve(context => GlobalIds.Encode(typeName, metaId(context.Source)));
        type.Field<NonNullGraphType<IdGraphType>>("metaId").Description(metaIdDescription).ReadsGraph("id").Resolve(context => metaId(context.Source));
    }
}

/// <summary>The representation a federation router sends for an entity keyed by <c>id</c> or by <c>metaId</c>.</summary>
public sealed class NodeReference
{
    public string? Id { get; set; }

    public string? MetaId { get; set; }

    /// <summary>Meta's id, from whichever key the router used (a global <c>id</c> or a Meta id given as <c>id</c> work too).</summary>
    public string MetaIdOf(string typeName) => Id is not null
        ? GlobalIds.MetaIdOf(Id, typeName)
        : NodeIds.Validate(MetaId ?? "", "metaId");
}

public static class NodeQueries
{
    public static void AddNodeQueries(this ObjectGraphType query)
    {
        query.Field<NodeInterfaceType>("node")
            .Description("The object with this global id, read through the same batched loaders as every other field.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "A global id (the `id` of a Page, Conversation, Message or Participant).")
            .Resolve(context => Load(context, context.GetArgument<string>("id"), "id"));
        query.Field<NonNullGraphType<ListGraphType<NodeInterfaceType>>>("nodes")
            .Description("The objects with these global ids, in order; null where one cannot be read. Messages (or conversations) are read together: 40 messages are one Graph API call.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", "Global ids.")
            .Resolve(context => context.GetArgument<List<string>>("ids").Select(id => Load(context, id, "ids")).ToList());
    }

    private static IDataLoaderResult Load(IResolveFieldContext context, string id, string argument)
    {
        if (!GlobalIds.TryDecode(id, out var typeName, out var metaId))
        {
            throw new GatewayError("INVALID_ID", $"`{argument}` takes global ids (the `id` field), not Meta's ids (`metaId`).",
                new Dictionary<string, object?> { ["argument"] = argument });
        }
        metaId = NodeIds.Validate(metaId, argument);
        var loaders = context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode();
        return typeName switch
        {
            GlobalIds.Page => DataLoaderResults.FromValue(new PageNode(metaId)),
            GlobalIds.Conversation => ConversationQueries.Load(context, loaders, metaId),
            GlobalIds.Message => MessageQueries.Load(loaders, metaId,
                MessageFields.FromMessage(SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, GlobalIds.Message))),
            // As its federation reference: a participant known by its id alone.
            _ => DataLoaderResults.FromValue(Participants.ParticipantNode.Reference(metaId, loaders)),
        };
    }
}
