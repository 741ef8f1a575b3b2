using Gateway.Paging;
using Gateway.Projection;
using GraphQL;
using GraphQLParser.AST;

namespace Gateway.Messages;

/// <summary>A page of messages read inside the parent's call: the first page, or for a conversation read alone, any page.</summary>
public sealed record MessagesPush(int Limit, string? After, string? Before, MessageFields Fields)
{
    /// <summary>Aliases asking for the same page share it (their selections are merged); others are left to the loaders,
    /// as are invalid arguments, which the field's own resolver reports. In a listing only a cursorless forward page can
    /// ride along: cursors belong to one conversation, not to all of them.</summary>
    public static MessagesPush? For(IResolveFieldContext context, IReadOnlyList<GraphQLField> messagesFields, bool alone)
    {
        if (messagesFields.Count == 0 || Page(context, messagesFields[0], alone) is not { } page)
        {
            return null;
        }
        var fields = messagesFields.Where(field => Page(context, field, alone) == page)
            .Aggregate(MessageFields.None, (all, field) => all | MessageFields.FromConnection(context, field.SelectionSet));
        return new MessagesPush(page.Limit, page.After, page.Before, fields);
    }

    /// <summary>Whether this push holds the page <paramref name="key"/> asks for, with its details.</summary>
    public bool Holds(MessagesListingKey key) => key.Limit == Limit && key.After == After && key.Before == Before && Fields.Covers(key.Fields);

    /// <summary>The Graph page a <c>messages</c> field asks for, read from the parent's selection exactly as the field's own
    /// resolver reads it (<see cref="ConnectionArguments.ToMetaRequest"/> on both sides): a push the resolver would not
    /// recognise costs an extra Graph call. Null for invalid arguments and, in a listing, for pages behind a cursor.</summary>
    private static MetaPageRequest? Page(IResolveFieldContext context, GraphQLField messagesField, bool alone)
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
        var request = arguments.ToMetaRequest();
        return alone || request is { After: null, Before: null } ? request : null;
    }
}
