using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Sending;
using GraphQL;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Conversations;

public sealed class MarkConversationSeenInput
{
    public string ConversationId { get; set; } = "";
}

public sealed class MarkConversationSeenInputType : InputObjectGraphType<MarkConversationSeenInput>
{
    public MarkConversationSeenInputType()
    {
        Name = "MarkConversationSeenInput";
        Description = "The conversation the Page has read.";
        Field<NonNullGraphType<IdGraphType>>("conversationId").Description("The conversation: its `id` or Meta's id.");
    }
}

public sealed class SetTypingInput
{
    public string ConversationId { get; set; } = "";
    public bool On { get; set; }
}

public sealed class SetTypingInputType : InputObjectGraphType<SetTypingInput>
{
    public SetTypingInputType()
    {
        Name = "SetTypingInput";
        Description = "Whether the person sees the Page typing in a conversation.";
        Field<NonNullGraphType<IdGraphType>>("conversationId").Description("The conversation: its `id` or Meta's id.");
        Field<NonNullGraphType<BooleanGraphType>>("on").Description("True shows the typing bubble, false hides it (Meta hides it after 20 seconds or a message anyway).");
    }
}

public sealed class MarkConversationSeenErrorType() : ErrorUnionGraphType("MarkConversationSeenError", SenderActionErrors.WithoutWindow);

public sealed class SetTypingErrorType() : ErrorUnionGraphType("SetTypingError", SenderActionErrors.WithWindow);

public sealed class MarkConversationSeenPayloadType() : ActionPayloadType<ConversationType, MarkConversationSeenErrorType>("MarkConversationSeenPayload",
    "The conversation, read by the Page (its `unreadCount` is 0), or why not.", "conversation", ReadConversation)
{
    /// <summary>The conversation with the fields the payload selects, as a query reads it.</summary>
    public static object? ReadConversation(IResolveFieldContext<ActionPayload> context, GraphLoaders loaders)
        => ConversationQueries.Load(context, loaders, context.Source.Id);
}

public sealed class SetTypingPayloadType() : ActionPayloadType<ConversationType, SetTypingErrorType>("SetTypingPayload",
    "The conversation, or why the typing bubble was not set.", "conversation", MarkConversationSeenPayloadType.ReadConversation);

public static class ConversationMutations
{
    public static void AddConversationMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MarkConversationSeenPayloadType>>("markConversationSeen")
            .Description("Marks the person's messages as seen by the Page (Meta's `mark_seen`; any time, no window). Needs the Page's send permission.")
            .Argument<NonNullGraphType<MarkConversationSeenInputType>>("input", "The conversation.")
            .ResolveAsync(async context => await ActAsync(context, context.GetArgument<MarkConversationSeenInput>("input").ConversationId,
                SenderAction.MarkSeen, needsWindow: false));
        mutation.Field<NonNullGraphType<SetTypingPayloadType>>("setTyping")
            .Description("Shows or hides the Page's typing bubble to the person (within their 24-hour window). Needs the Page's send permission.")
            .Argument<NonNullGraphType<SetTypingInputType>>("input", "The conversation, and on or off.")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<SetTypingInput>("input");
                return await ActAsync(context, input.ConversationId, input.On ? SenderAction.TypingOn : SenderAction.TypingOff, needsWindow: true);
            });
    }

    private static async Task<ActionPayload> ActAsync(IResolveFieldContext context, string id, SenderAction action, bool needsWindow)
    {
        var conversationId = GlobalIds.MetaIdOf(id, GlobalIds.Conversation, "input.conversationId");
        var (pageId, error) = await context.RequestServices!.GetRequiredService<Outbox>()
            .ActInConversationAsync(conversationId, action, needsWindow, context.CancellationToken);
        return new ActionPayload(pageId, conversationId, error is null ? null : [error]);
    }
}
