using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Inbox;
using Gateway.Messages;
using Gateway.Projection;
using GraphQL;
using MetaGraph;

namespace Gateway.Subscriptions;

/// <summary>Schema nodes built from what a webhook said, so the fields it answers cost no Graph call; any other field
/// selected on them goes through the request's loaders as usual.</summary>
public static class WebhookNodes
{
    /// <summary>The details a webhook message carries.</summary>
    private static readonly MessageFields Delivered = new[] { "from", "to", "message", "attachments", "replyTo" }
        .Aggregate(MessageFields.None, (all, field) => all | MessageFields.Of(field));

    /// <summary>A new or echoed message, resolved from the webhook; else (a reaction's or deletion's message) by its id. Its
    /// sender and recipient are named from the conversation's participants, looked up with the subscriber's token for a
    /// person the gateway did not know when the event was published.</summary>
    public static async Task<MessageNode?> MessageAsync(IResolveFieldContext context, InboxEvent inboxEvent, GraphLoaders loaders)
    {
        if (inboxEvent.Message is { } message && inboxEvent.Kind is InboxEventKind.New or InboxEventKind.Echo)
        {
            var participants = (await ConversationOfAsync(context, inboxEvent))?.Participants ?? [];
            return MessageNode.FromWebhook(message.ToGraph(inboxEvent.Timestamp, participants), Delivered, loaders);
        }
        return inboxEvent.MessageId is { } id ? MessageNode.FromId(id, loaders) : null;
    }

    /// <summary>The person's conversation with the Page (its id and participants, which do not change): what the event
    /// carries, else what the gateway learnt since, else a lookup with the subscriber's own token (which proved access to
    /// the Page).</summary>
    private static async Task<PersonConversation?> ConversationOfAsync(IResolveFieldContext context, InboxEvent inboxEvent)
    {
        if (inboxEvent.Conversation is { } carried)
        {
            return carried;
        }
        var people = context.RequestServices!.GetRequiredService<PersonConversations>();
        return people.Known(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId)
            ?? await people.FindAsync(inboxEvent.PageId, inboxEvent.Platform, inboxEvent.PersonId,
                context.RequestServices!.GetRequiredService<Callers.AccessTokens>().ForPage(inboxEvent.PageId), context.CancellationToken);
    }

    /// <summary>The event's conversation: from the webhook when the selection only asks what it knows (id, platform,
    /// participants, messages, and for a new or echoed message its time and snippet), else read through the loaders, as
    /// of the event (see <see cref="Caching.ResponseFreshness.NotBefore"/>). A replayed event is never read anew: it says
    /// what the event said. A person's conversation the server could not look up (no Page token here) is looked up with
    /// the subscriber's own token.</summary>
    public static async Task<object?> ConversationAsync(IResolveFieldContext context, InboxEvent inboxEvent, GraphLoaders loaders)
    {
        if (await ConversationOfAsync(context, inboxEvent) is not { } conversation)
        {
            return null;
        }
        var isMessage = inboxEvent.Kind is InboxEventKind.New or InboxEventKind.Echo;
        var text = isMessage ? inboxEvent.Message?.Text : null;
        var known = SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "Conversation").All(field => field.Name.StringValue switch
        {
            "__typename" or "id" or "metaId" or "platform" or "participants" or "messages" => true,
            "updatedTime" => isMessage,
            "snippet" => text is not null,
            _ => false,
        });
        if (!known && !inboxEvent.Replayed)
        {
            return ConversationQueries.Load(context, loaders, conversation.Id);
        }
        var data = new Conversation
        {
            Id = conversation.Id,
            UpdatedTime = isMessage ? inboxEvent.Timestamp : null,
            Participants = new GraphList<Participant> { Data = conversation.Participants },
            Snippet = text,
        };
        return new ConversationNode(data, inboxEvent.Platform, loaders, AsOfEvent: inboxEvent.Replayed);
    }
}
