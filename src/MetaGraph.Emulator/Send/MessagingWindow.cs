using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Send;

/// <summary>When a Page may message a person (Meta's Send API reference and "Message Tags"): within 24 hours of the person's
/// last message; with the <c>HUMAN_AGENT</c> tag within 7 days; with an update tag (Messenger only) at any time after the
/// person wrote once. The person's last message is the newest message from them in the thread's data.</summary>
internal static class MessagingWindow
{
    public static readonly TimeSpan Standard = TimeSpan.FromHours(24);
    public static readonly TimeSpan HumanAgent = TimeSpan.FromDays(7);

    public const string HumanAgentTag = "HUMAN_AGENT";

    /// <summary>The tags that allow non-promotional updates outside the window; Meta offers none of them on Instagram.</summary>
    private static readonly string[] UpdateTags = ["CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"];

    public static readonly string[] Tags = [.. UpdateTags, HumanAgentTag];

    /// <summary>Refuses what the Page may not send now: Meta's code 10, subcode 2018278 on Messenger and 2534022 on Instagram.
    /// A message exactly at the end of its window is still inside it (our choice).</summary>
    public static void Check(ConversationData thread, string? tag, DateTimeOffset now)
    {
        var instagram = thread.Platform == InboxPlatform.Instagram;
        if (instagram && tag is not (null or HumanAgentTag))
        {
            throw GraphErrors.InvalidParameter($"(#100) The tag {tag} is not available for Instagram messaging: use {HumanAgentTag}");
        }
        var lastFromPerson = thread.Messages.FirstOrDefault(m => m.From.Id == thread.Customer.Id)?.CreatedTime;
        TimeSpan? window = tag switch
        {
            null => Standard,
            HumanAgentTag => HumanAgent,
            _ => null,
        };
        if (lastFromPerson is null || (window is { } length && now - lastFromPerson > length))
        {
            throw instagram
                ? new GraphError(400, 10, "(#10) This message is sent outside of allowed window.", subcode: 2534022)
                : new GraphError(400, 10, "(#10) This message is sent outside of allowed window. Learn more about the new policy here: " +
                    "https://developers.facebook.com/docs/messenger-platform/policy-overview", subcode: 2018278);
        }
    }
}
