using Gateway.Api;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Pages;
using Gateway.Projection;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace Gateway.Schema;

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
