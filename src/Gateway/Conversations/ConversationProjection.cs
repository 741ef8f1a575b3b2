using Gateway.Messages;
using Gateway.Paging;
using Gateway.Projection;
using GraphQL;
using GraphQLParser.AST;
using MetaGraph;

namespace Gateway.Conversations;

/// <summary>
/// The Graph API fields to read for conversations, derived from the query: exactly the selected conversation fields,
/// plus, when push-down is on, the first page of messages with the selected message details as a nested expansion
/// (<c>messages.limit(n){id,created_time,from,message}</c>), so a whole inbox is one call.
/// </summary>
public sealed record ConversationProjection(FieldList Fields, MessagesPush? Messages)
{
    private static readonly FieldList AlwaysRead = FieldList.Of("id");

    public static ConversationProjection For(IResolveFieldContext context, IReadOnlyList<GraphQLField> conversationFields, bool pushDown)
    {
        var catalog = GraphFieldCatalog.For<ConversationType>();
        var fields = catalog.Render(AlwaysRead, catalog.FieldsOf(conversationFields));

        var messages = pushDown ? MessagesPush.For(context, conversationFields.Named("messages").ToList()) : null;
        if (messages is not null)
        {
            fields = fields.AddEdge("messages", messages.Fields.ToFieldList(), messages.Limit);
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

/// <summary>A first page of messages read inside the parent's call.</summary>
public sealed record MessagesPush(int Limit, MessageFields Fields)
{
    /// <summary>Only a cursorless forward page can ride along: cursors belong to one conversation, not to all of them.
    /// Aliases with the same arguments share it (their selections are merged); others are left to the loaders, as are
    /// invalid arguments, which the field's own resolver reports.</summary>
    public static MessagesPush? For(IResolveFieldContext context, IReadOnlyList<GraphQLField> messagesFields)
    {
        if (messagesFields.Count == 0)
        {
            return null;
        }
        var limit = FirstPageLimit(context, messagesFields[0]);
        if (limit is null)
        {
            return null;
        }
        var fields = messagesFields.Where(field => FirstPageLimit(context, field) == limit)
            .Aggregate(MessageFields.None, (all, field) => all | MessageFields.FromConnection(context, field.SelectionSet));
        return new MessagesPush(limit.Value, fields);
    }

    /// <summary>The limit of the first page a <c>messages</c> field asks for, read from the parent's selection exactly as
    /// the field's own resolver reads it (<see cref="FirstPageLimit(ConnectionArguments)"/> on both sides): a push the
    /// resolver would not recognise costs an extra Graph call.</summary>
    private static int? FirstPageLimit(IResolveFieldContext context, GraphQLField messagesField)
    {
        ConnectionArguments arguments;
        try
        {
            arguments = ConnectionArguments.Parse(
                SelectionSets.Argument(context, messagesField, "first") as int?, SelectionSets.Argument(context, messagesField, "after") as string,
                SelectionSets.Argument(context, messagesField, "last") as int?, SelectionSets.Argument(context, messagesField, "before") as string);
        }
        catch (Api.GatewayError)
        {
            // Invalid arguments are the field resolver's to report.
            return null;
        }
        return FirstPageLimit(arguments);
    }

    /// <summary>The Graph limit of a cursorless forward page, the only kind that rides along in a parent's call; null
    /// for any other page.</summary>
    public static int? FirstPageLimit(ConnectionArguments arguments)
        => arguments is { After: null, Before: null, Last: null } ? arguments.ToMetaRequest().Limit : null;
}
