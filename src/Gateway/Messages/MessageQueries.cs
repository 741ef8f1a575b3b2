using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Projection;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace Gateway.Messages;

public static class MessageQueries
{
    public static void AddMessageQueries(this ObjectGraphType query)
        => query.Field<MessageType>("message")
            .Description("A message by its `id` or Meta's id. Its position in its conversation is unknown here: the gateway's message archive answers when it knows the message is older than its conversation's 20 most recent (no Graph API call), else Graph API is asked for its details; if Graph refuses them (the 20-message rule) the archive's copy is served when it kept one, else the detail fields are null and `detailsAvailable` is false.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The message's `id` or Meta's message id.")
            .Resolve(context => Load(
                context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(),
                GlobalIds.MetaIdOf(context.GetArgument<string>("id"), GlobalIds.Message),
                MessageFields.FromMessage(SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "Message"))));

    /// <summary>Reads a message's details with everything the query selected on it, batched with every other message
    /// asked for at the same level.</summary>
    public static IDataLoaderResult<MessageNode?> Load(GraphLoaders loaders, string id, MessageFields requested)
        => loaders.Get<MessageLoader>().Load(new MessageKey(id, requested, PositionUnknown: true))
            .Then<MessageDetails, MessageNode?>(details => MessageNode.FromLookup(id, details, requested, loaders));
}
