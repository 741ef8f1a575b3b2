using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Projection;
using Gateway.Sending;
using GraphQL;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>Meta's reactions a Page may send.</summary>
public enum ReactionKind
{
    Love,
    Like,
    Smile,
    Wow,
    Sad,
    Angry,
    Dislike,
}

public sealed class ReactionKindType : EnumerationGraphType<ReactionKind>
{
    public ReactionKindType()
    {
        Name = "ReactionKind";
        Description = "A reaction the Page can put on a message.";
    }
}

public sealed class ReactToMessageInput
{
    public string MessageId { get; set; } = "";
    public ReactionKind Reaction { get; set; }
}

public sealed class ReactToMessageInputType : InputObjectGraphType<ReactToMessageInput>
{
    public ReactToMessageInputType()
    {
        Name = "ReactToMessageInput";
        Description = "A reaction of the Page to a message of a person's thread.";
        Field<NonNullGraphType<IdGraphType>>("messageId").Description("The message: its `id` or Meta's id.");
        Field<NonNullGraphType<ReactionKindType>>("reaction").Description("The reaction.");
    }
}

public sealed class RemoveMessageReactionInput
{
    public string MessageId { get; set; } = "";
}

public sealed class RemoveMessageReactionInputType : InputObjectGraphType<RemoveMessageReactionInput>
{
    public RemoveMessageReactionInputType()
    {
        Name = "RemoveMessageReactionInput";
        Description = "The message whose reaction by the Page is taken back.";
        Field<NonNullGraphType<IdGraphType>>("messageId").Description("The message: its `id` or Meta's id.");
    }
}

public sealed class ReactToMessageErrorType() : ErrorUnionGraphType("ReactToMessageError", SenderActionErrors.WithWindow);

public sealed class RemoveMessageReactionErrorType() : ErrorUnionGraphType("RemoveMessageReactionError", SenderActionErrors.WithWindow);

public sealed class ReactToMessagePayloadType() : ActionPayloadType<MessageType, ReactToMessageErrorType>("ReactToMessagePayload",
    "The message with the Page's reaction, or why not.", "message", ReadMessage)
{
    /// <summary>The message with the fields the payload selects, as <c>message(id:)</c> reads it.</summary>
    public static object? ReadMessage(IResolveFieldContext<ActionPayload> context, GraphLoaders loaders)
        => MessageQueries.Load(loaders, context.Source.Id, MessageFields.FromMessage(SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "Message")));
}

public sealed class RemoveMessageReactionPayloadType() : ActionPayloadType<MessageType, RemoveMessageReactionErrorType>("RemoveMessageReactionPayload",
    "The message without the Page's reaction, or why not.", "message", ReactToMessagePayloadType.ReadMessage);

public static class MessageMutations
{
    /// <summary>Meta's limit on a message's text.</summary>
    private const int MaxTextLength = 2000;

    public static void AddMessageMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SendMessagePayloadType>>("sendMessage")
            .Description("Sends a message as a Page through Meta's Send API: inside the person's messaging window (checked before Meta is called), once per `idempotencyKey` (never retried blindly), within the Page's Send allowance. The caller needs the Page's send permission (else `FORBIDDEN`, and nothing is sent).")
            .Argument<NonNullGraphType<SendMessageInputType>>("input", "The message and where it goes.")
            .ResolveAsync(async context => SendMessagePayload.Of(await SendAsync(context, context.GetArgument<SendMessageInput>("input"))));
        mutation.Field<NonNullGraphType<ReactToMessagePayloadType>>("reactToMessage")
            .Description("Reacts to a message as the Page (within the person's 24-hour window). Meta sends no webhook for it.")
            .Argument<NonNullGraphType<ReactToMessageInputType>>("input", "The message and the reaction.")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<ReactToMessageInput>("input");
                return await ReactAsync(context, input.MessageId, input.Reaction.ToString().ToLowerInvariant());
            });
        mutation.Field<NonNullGraphType<RemoveMessageReactionPayloadType>>("removeMessageReaction")
            .Description("Takes the Page's reaction to a message back (within the person's 24-hour window).")
            .Argument<NonNullGraphType<RemoveMessageReactionInputType>>("input", "The message.")
            .ResolveAsync(async context => await ReactAsync(context, context.GetArgument<RemoveMessageReactionInput>("input").MessageId, reaction: null));
    }

    private static async Task<SendOutcome> SendAsync(IResolveFieldContext context, SendMessageInput input)
    {
        var outbox = context.RequestServices!.GetRequiredService<Outbox>();
        var key = IdempotencyKeyOf(input.IdempotencyKey);
        switch (input)
        {
            case { ConversationId: { } id, Recipient: null }:
                var conversationId = GlobalIds.MetaIdOf(id, GlobalIds.Conversation, "input.conversationId");
                return await outbox.SendToConversationAsync(conversationId, MessageOf(input, GraphIds.PlatformOfConversation(conversationId)), key,
                    context.CancellationToken);
            case { ConversationId: null, Recipient: { } recipient }:
                return await outbox.SendToPersonAsync(GlobalIds.MetaIdOf(recipient.PageId, GlobalIds.Page, "input.recipient.pageId"), recipient.Platform,
                    GlobalIds.MetaIdOf(recipient.UserId, GlobalIds.Participant, "input.recipient.userId"), MessageOf(input, recipient.Platform), key,
                    context.CancellationToken);
            default:
                throw Invalid("input", "Send to either `conversationId` or `recipient`, not both and not neither.");
        }
    }

    private static async Task<ActionPayload> ReactAsync(IResolveFieldContext context, string id, string? reaction)
    {
        var messageId = GlobalIds.MetaIdOf(id, GlobalIds.Message, "input.messageId");
        var (pageId, error) = await context.RequestServices!.GetRequiredService<Outbox>().ReactAsync(messageId, reaction, context.CancellationToken);
        return new ActionPayload(pageId, messageId, error is null ? null : [error]);
    }

    private static OutgoingMessage MessageOf(SendMessageInput input, Platform platform)
    {
        var text = string.IsNullOrEmpty(input.Text) ? null : input.Text;
        if ((text is null) == (input.Attachment is null))
        {
            throw Invalid("input.text", "A message has either `text` or an `attachment`, not both and not neither.");
        }
        if (text?.Length > MaxTextLength)
        {
            throw Invalid("input.text", $"`text` is at most {MaxTextLength} characters (Meta's limit); it has {text.Length}.");
        }
        var attachment = input.Attachment is { } file ? new OutgoingAttachment(file.Type.ToString().ToLowerInvariant(), UrlOf(file.Url)) : null;
        var replyTo = input.ReplyToMessageId is { } reply ? GlobalIds.MetaIdOf(reply, GlobalIds.Message, "input.replyToMessageId") : null;
        return new OutgoingMessage(text, attachment, TagOf(input.Tag, platform), replyTo);
    }

    private static string? TagOf(MessageTag? tag, Platform platform) => tag switch
    {
        null => null,
        MessageTag.HumanAgent => MessageDelivery.HumanAgentTag,
        _ when platform == Platform.Instagram => throw Invalid("input.tag", "Instagram allows only the tag `HUMAN_AGENT`."),
        MessageTag.ConfirmedEventUpdate => "CONFIRMED_EVENT_UPDATE",
        MessageTag.PostPurchaseUpdate => "POST_PURCHASE_UPDATE",
        _ => "ACCOUNT_UPDATE",
    };

    private static string UrlOf(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.AbsoluteUri
            : throw Invalid("input.attachment.url", "`attachment.url` must be an absolute http(s) URL Meta can fetch the file from.");

    private static string? IdempotencyKeyOf(string? key) => key switch
    {
        null => null,
        { Length: > 0 and <= SendKeys.MaxKeyLength } => key,
        _ => throw Invalid("input.idempotencyKey", $"`idempotencyKey` is 1 to {SendKeys.MaxKeyLength} characters."),
    };

    public static GatewayError Invalid(string field, string message)
        => new("INVALID_INPUT", message, new Dictionary<string, object?> { ["field"] = field });
}
