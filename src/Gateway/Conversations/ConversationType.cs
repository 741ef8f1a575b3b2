using Gateway.Api;
using Gateway.Caching;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Paging;
using Gateway.Participants;
using Gateway.Projection;
using Gateway.Sending;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Conversations;

public sealed class ConversationType : ObjectGraphType<ConversationNode>
{
    public ConversationType()
    {
        Name = "Conversation";
        Description = "A Messenger or Instagram conversation between a Page (or Instagram professional account) and a person.";
        this.ImplementsNode(conversation => conversation.Data.Id, "Meta's conversation id (`t_...` on Messenger).");
        this.Key("id");
        this.Key("metaId");
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.").ReadsGraph("id").Resolve(c => c.Source.Platform);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedTime").Description("When the conversation last changed.")
            .ReadsGraph("updated_time").Resolve(c => c.Source.Data.UpdatedTime ?? (c.Source.AsOfEvent
                ? throw new GatewayError("EVENT_STATE_UNAVAILABLE", "A replayed read or unsend does not say when its conversation last changed; read the conversation for its current state.")
                : null));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParticipantType>>>>("participants")
            .Description("The people and the Page in the conversation.")
            .ReadsGraph("participants").Resolve(c => ParticipantNode.From(c.Source.Data.Participants?.Data ?? [], c.Source.Loaders));
        Field<IntGraphType>("messageCount").Description("How many messages the conversation holds.")
            .ReadsGraph("message_count").Resolve(c => c.Source.Data.MessageCount);
        Field<IntGraphType>("unreadCount").Description("How many messages the Page has not read.")
            .ReadsGraph("unread_count").Resolve(c => c.Source.Data.UnreadCount);
        Field<StringGraphType>("snippet").Description("The text of the most recent message.").ReadsGraph("snippet").Resolve(c => c.Source.Data.Snippet);
        Field<IsoDateTimeGraphType>("canReplyUntil")
            .Description("Until when the Page may message the person without a tag: 24 hours after their last message (Meta's messaging window), so a frontend can grey out its reply box. Null when the window is closed, or when none of the conversation's 20 newest messages is the person's. Known from webhooks without a call; else read with the 20 newest messages of every conversation of the answer that changed in the last 24 hours (one Graph API call).")
            .ReadsGraph("updated_time")
            .ResolveAsync(ResolveCanReplyUntilAsync);
        Field<MessagesConnectionType>("messages")
            .Description("The conversation's messages, newest first. Null in a replayed subscription event, which says only what the event said.")
            .WithConnectionArguments()
            .ReadsGraphEdge("messages")
            .Resolve(ResolveMessages);

        this.ResolveReference<NodeReference, ConversationNode>((context, reference) => ConversationQueries.Load(
            context, context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode(), reference.MetaIdOf(Name)));
    }

    /// <summary><see cref="MessagingWindows.ThreadRead"/> as the conversation loader takes it (no page of messages for the schema to prime).</summary>
    private static readonly ConversationProjection ThreadProjection = new(MessagingWindows.ThreadRead, null);

    /// <summary>What the gateway knows when it says open; closed without a call when the conversation has been quiet for
    /// longer than the window; else the thread's window, read (batched with the answer's other conversations) and learnt.</summary>
    private static async Task<object?> ResolveCanReplyUntilAsync(IResolveFieldContext<ConversationNode> context)
    {
        var services = context.RequestServices!;
        var windows = services.GetRequiredService<MessagingWindows>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var conversation = context.Source.Data;
        DateTimeOffset? OpenUntil(MessagingWindow? window)
        {
            if (window is not { } open || !open.IsOpen(now, MessagingWindow.Standard))
            {
                return null;
            }
            var closes = open.ClosesAt(MessagingWindow.Standard);
            // The answer stops being true when the window closes: a kept response must not outlive it.
            services.GetRequiredService<ResponseFreshness>().ChangesAt(closes);
            return closes;
        }
        if (OpenUntil(windows.OfConversation(conversation.Id)) is { } known)
        {
            return known;
        }
        if (context.Source.AsOfEvent || now - conversation.UpdatedTime > MessagingWindow.Standard)
        {
            return null;
        }
        var loaders = context.Source.Loaders;
        var pageId = await loaders.PageIdAsync(context.CancellationToken);
        return loaders.Get<ConversationLoader>().Load(new ConversationKey(conversation.Id, ThreadProjection))
            .Then(read => windows.Learn(pageId, context.Source.Platform, read) is { } thread
                ? OpenUntil(windows.Of(pageId, thread.Platform, thread.PersonId))
                : null);
    }

    private static object? ResolveMessages(IResolveFieldContext<ConversationNode> context)
    {
        if (context.Source.AsOfEvent)
        {
            return null;
        }
        var arguments = ConnectionArguments.From(context);
        var loaders = context.Source.Loaders;
        var requested = MessageFields.FromConnection(context, context.FieldAst.SelectionSet);
        // With push-down the listing carries the selected details; a first page usually came with the parent's call.
        var listed = loaders.PushDown ? requested : MessageFields.None;
        var request = arguments.ToMetaRequest();
        var key = MessagesListingKey.For(context.Source.Data.Id, request, listed);
        Connection<MessageNode> ToConnection(GraphList<Message> page)
        {
            var connection = ConnectionFactory.FromMetaPage(page.Data, page.Paging, arguments, request,
                (message, position) => MessageNode.FromListing(message, position, listed, requested, loaders));
            // What Meta gave of the messages in its window is the archive's to keep.
            loaders.Archive?.Record(context.Source.Data.Id,
                connection.Nodes.Select(node => node.Details).OfType<MessageDetails>().Where(details => details.Source == MessageDetailsSource.Graph)
                    .Select(details => details.Data!), listed.ToFieldList());
            return connection;
        }
        // A page pushed down into the parent's call is at hand: returning it as a value skips the DataLoader round.
        var listings = loaders.Get<MessagesListingLoader>();
        return listings.TryGetPushed(key, out var pushed) ? ToConnection(pushed) : listings.Load(key).Then(ToConnection);
    }
}

public sealed class ConversationsConnectionType() : ConnectionGraphType<ConversationType, ConversationsEdgeType, ConversationNode>("ConversationsConnection", "conversations");

public sealed class ConversationsEdgeType() : EdgeGraphType<ConversationType, ConversationNode>("ConversationsEdge", "conversations");
