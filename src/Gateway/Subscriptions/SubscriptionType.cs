using Gateway.Api;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Inbox;
using Gateway.InboxSync;
using Gateway.Messages;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Subscriptions;

/// <summary>Live inbox events of one Page, delivered from Meta's webhooks (graphql-transport-ws and SSE on the GraphQL path).</summary>
public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType()
    {
        Name = "Subscription";
        Description = "Live inbox events of a Page, as Meta's webhooks deliver them, and the progress of its inbox syncs. The subscriber proves access to the Page as a query does.";

        Field<NonNullGraphType<MessageType>>("messageReceived")
            .Description("Each new message a person sends to the Page. Its id, createdTime, from, to, message, attachments and replyTo come from the webhook without a Graph API call.")
            .WithPageArguments()
            .ResolveStreamAsync(context => SubscribeAsync(context, e => e.Kind == InboxEventKind.New))
            .ResolveAsync(async context => await WebhookNodes.MessageAsync(context, Event(context), Loaders(context)));

        Field<NonNullGraphType<MessageEventType>>("messageEvents")
            .Description("Everything that happens in the Page's inbox: new messages, the Page's own messages (echoes), reads, reactions and unsent messages.")
            .WithPageArguments()
            .ResolveStreamAsync(context => SubscribeAsync(context, _ => true))
            .Resolve(context => new MessageEventNode(Event(context), Loaders(context)));

        Field<NonNullGraphType<ConversationType>>("conversationUpdated")
            .Description("A conversation each time a message arrives or is sent, read or unsent in it, as of that event. Fields the webhook does not carry (counts, and the snippet after a read) are read from the Graph API; in an event replayed after `after` they are null, since today's state is not that event's.")
            .WithPageArguments()
            .ResolveStreamAsync(context => SubscribeAsync(context, e => e.Kind != InboxEventKind.Reaction))
            .ResolveAsync(async context => await WebhookNodes.ConversationAsync(context, Event(context), Loaders(context))
                ?? throw new GatewayError("CONVERSATION_NOT_FOUND", "Graph API does not know this person's conversation with the Page."));

        this.AddInboxSyncSubscriptions();
    }

    private static async Task<IObservable<object?>> SubscribeAsync(IResolveFieldContext context, Func<InboxEvent, bool> filter)
    {
        var pageId = NodeIds.Validate(context.GetArgument<string>("pageId"), "pageId");
        var platform = context.GetArgument<Platform?>("platform");
        var after = ResumptionPoint(context);
        var services = context.RequestServices!;
        await services.GetRequiredService<PageAccess>().EnsureAsync(pageId, platform, context.CancellationToken);
        return await services.GetRequiredService<InboxEventFeed>().EventsAsync(pageId, platform, filter, after, context.CancellationToken)
            ?? throw new GatewayError("EVENT_HISTORY_EXPIRED",
                "The events after `after` are no longer kept, so some would be missing: read the inbox again, then subscribe without `after`.");
    }

    /// <summary>The last event the subscriber saw: the <c>after</c> argument, else SSE's <c>Last-Event-ID</c>.</summary>
    private static InboxEventId? ResumptionPoint(IResolveFieldContext context)
    {
        var after = context.GetArgument<string?>("after")
            ?? (context.UserContext.TryGetValue(SubscriberExecutionStrategy.LastEventIdKey, out var header) ? header as string : null);
        if (after is null)
        {
            return null;
        }
        return InboxEventId.TryParse(after, out var id) ? id : throw InboxEventFeed.InvalidEventId();
    }

    private static InboxEvent Event(IResolveFieldContext context) => (InboxEvent)context.Source!;

    private static GraphLoaders Loaders(IResolveFieldContext context)
        => context.RequestServices!.GetRequiredService<RequestLoaders>().ForPage(Event(context).PageId);
}

internal static class SubscriptionFieldArguments
{
    public static FieldBuilder<TSource, TReturn> WithPageArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) => field
        .Argument<NonNullGraphType<IdGraphType>>("pageId", "The Facebook Page (or Instagram professional account) whose inbox to follow.")
        .Argument<PlatformType>("platform", "Only this inbox; both when omitted.")
        .Argument<StringGraphType>("after",
            "Resumes after this event: the `extensions.eventId` of the last result received (over SSE, the `Last-Event-ID` header does the same). The Page's events since then are delivered first, each once, then live ones. Events are kept for a limited time and number; older ones end the subscription with `EVENT_HISTORY_EXPIRED`.");
}
