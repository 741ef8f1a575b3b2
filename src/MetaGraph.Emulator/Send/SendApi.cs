using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Live;
using MetaGraph.Emulator.Runtime;

namespace MetaGraph.Emulator.Send;

/// <summary>Meta's Send API, <c>POST /{page-id}/messages</c> (also the Instagram account's id, or <c>me</c>): a checked request
/// is priced, applied to the living inbox, logged, and answered <c>{"recipient_id","message_id"}</c> (<c>{"recipient_id"}</c>
/// for a sender action), unless its answer is to be lost.</summary>
internal sealed class SendApi(EmulatorState state)
{
    private const string Edge = "/messages";

    public static bool IsSendPath(string path) => path.EndsWith(Edge, StringComparison.Ordinal) && path.IndexOf('/') == path.Length - Edge.Length;

    /// <summary>Sends, writes the answer, and says how the answer is lost when it is to be.</summary>
    public AnswerLossMode? Send(Utf8JsonWriter writer, InboxData data, PageData page, string path, IQueryCollection parameters, UsageReport usage)
    {
        var platform = PlatformOf(data, page, path[..^Edge.Length]);
        var request = SendParameters.Parse(parameters);
        var message = request.Message;
        var result = state.Inbox.Send(page.PageId, platform, request, new SentWithApi(state.Options.AppId, message?.Metadata),
            thread => state.Allowances.ChargeSend(page, thread, message?.IsMedia == true, message is not null, usage));
        AnswerLossMode? lost = message is not null && state.TryLoseAnswer(out var mode) ? mode : null;
        state.Sends.Add(Record(page, request, result, lost is not null));
        WriteAnswer(writer, request, result);
        return lost;
    }

    /// <summary>The Page's own id or <c>me</c> sends on either platform, its Instagram account's id on Instagram only.</summary>
    private static InboxPlatform? PlatformOf(InboxData data, PageData page, string node)
    {
        if (node == Graph.GraphReader.Me || node == page.PageId)
        {
            return null;
        }
        if (node == page.InstagramAccountId)
        {
            return InboxPlatform.Instagram;
        }
        throw data.FindPage(node) is null ? GraphErrors.NoSuchObject(node, "post") : GraphErrors.NotThisPagesInbox();
    }

    private static void WriteAnswer(Utf8JsonWriter writer, SendRequest request, SendResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("recipient_id", result.Thread.Customer.Id);
        if (request.Message is { } message)
        {
            writer.WriteString("message_id", result.Message!.Id);
            if (message.Attachment is { IsReusable: true })
            {
                writer.WriteString("attachment_id", result.Message.Attachments[0].Id);
            }
        }
        writer.WriteEndObject();
    }

    private static SentMessage Record(PageData page, SendRequest request, SendResult result, bool answerLost)
    {
        var thread = result.Thread;
        var platform = thread.Platform.ToString().ToLowerInvariant();
        var message = request.Message;
        var attachment = message?.Attachment is { } a ? new SentAttachment(a.Kind.ToString().ToLowerInvariant(), a.Url) : null;
        return new SentMessage(page.PageId, platform, thread.Customer.Id, thread.Id, result.Message?.Id, message?.MessagingType, message?.Tag,
            message?.Text, attachment, message?.ReplyTo, message?.Metadata, request.Action?.Name, request.Action?.Reaction, answerLost);
    }
}
