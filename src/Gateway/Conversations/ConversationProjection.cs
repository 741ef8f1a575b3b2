using Gateway.Messages;
using Gateway.Projection;
using GraphQL;
using GraphQLParser.AST;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>
/// The Graph API fields to read for conversations, derived from the query: exactly the selected conversation fields,
/// plus, when push-down is on, the page of messages with the selected message details as a nested expansion
/// (<c>messages.limit(n){id,created_time,from,message}</c>), so a whole inbox is one call. A conversation read alone (by
/// id) carries a page behind a cursor too (<c>messages.limit(n).after(c){…}</c>), so paging a thread is one call.
/// </summary>
public sealed record ConversationProjection(FieldList Fields, MessagesPush? Messages)
{
    private static readonly FieldList AlwaysRead = FieldList.Of("id");

    /// <param name="alone">The conversation is read by its id, not in a listing: a cursor, which belongs to one
    /// conversation, may ride along.</param>
    public static ConversationProjection For(IResolveFieldContext context, IReadOnlyList<GraphQLField> conversationFields, bool pushDown, bool alone)
    {
        var catalog = GraphFieldCatalog.For<ConversationType>();
        var fields = catalog.Render(AlwaysRead, catalog.FieldsOf(conversationFields));

        var messages = pushDown ? MessagesPush.For(context, conversationFields.Named("messages").ToList(), alone) : null;
        if (messages is not null)
        {
            fields = fields.AddEdge("messages", messages.Fields.ToFieldList(), messages.Limit, messages.After, messages.Before);
        }
        return new ConversationProjection(fields, messages);
    }

    /// <summary>Conversation fields selected on a <c>ConversationsConnection</c>'s nodes.</summary>
    public static IReadOnlyList<GraphQLField> FromConnection(IResolveFieldContext context)
    {
        var connection = SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "ConversationsConnection").ToList();
        return connection.Children(context, "nodes", "Conversation")
            .Concat(connection.Children(context, "edges", "ConversationsEdge").Children(context, "node", "Conversation"))
            .ToList();
    }
}
