using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Projection;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace Gateway.Conversations;

public static class ConversationQueries
{
    public static void AddConversationQueries(this ObjectGraphType query)
        => query.Field<ConversationType>("conversation")
            .Description("A conversation by its `id` or Meta's id, read together with the messages the query selects.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The conversation's `id` or Meta's conversation id.")
            .Resolve(context => Load(context, context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(),
                GlobalIds.MetaIdOf(context.GetArgument<string>("id"), GlobalIds.Conversation)));

    /// <summary>Reads a conversation with the selected fields and its first page of messages in the same call,
    /// batched with every other conversation asked for at this level.</summary>
    public static IDataLoaderResult<ConversationNode?> Load(IResolveFieldContext context, GraphLoaders loaders, string id)
    {
        var fields = SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "Conversation").ToList();
        var projection = ConversationProjection.For(context, fields, loaders.PushDown, alone: true);
        return loaders.Get<ConversationLoader>().Load(new ConversationKey(id, projection))
            .Then<MetaGraph.Conversation, ConversationNode?>(conversation => new ConversationNode(conversation, ConversationNode.PlatformOf(id), loaders));
    }
}
