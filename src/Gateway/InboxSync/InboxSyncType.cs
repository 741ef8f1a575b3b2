using Gateway.Api;
using GraphQL.Types;

namespace Gateway.InboxSync;

public sealed class SyncStateType : EnumerationGraphType<SyncState>
{
    public SyncStateType()
    {
        Name = "InboxSyncState";
        Description = "Where an inbox sync stands.";
    }
}

public sealed class InboxSyncType : ObjectGraphType<InboxSyncStatus>
{
    public InboxSyncType()
    {
        Name = "InboxSync";
        Description = "The sync of a Page's inbox on one platform into the message archive: every conversation of the listing, with the details of its 20 most recent messages (Meta gives no more). A sync after a completed one archives only the conversations that moved since.";
        Field<NonNullGraphType<IdGraphType>>("pageId").Description("Meta's Page id.").Resolve(c => c.Source.PageId);
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.").Resolve(c => c.Source.Platform);
        Field<NonNullGraphType<SyncStateType>>("state").Description("Where the sync stands.").Resolve(c => c.Source.State);
        Field<NonNullGraphType<IntGraphType>>("conversationsDone")
            .Description("Conversations of the listing the run has gone through: archived, or found as the previous run archived them.")
            .Resolve(c => c.Source.ConversationsListed);
        Field<IntGraphType>("conversationsTotal")
            .Description("How many conversations the run goes through; known (and equal to `conversationsDone`) once it reached the listing's end, or after a completed run the conversations unchanged since. Meta's listing gives no count before that.")
            .Resolve(c => c.Source.ConversationsTotal);
        Field<NonNullGraphType<IntGraphType>>("conversationsArchived")
            .Description("Conversations this run archived: new ones, and those whose `updatedTime` moved since the previous run.")
            .Resolve(c => c.Source.ConversationsArchived);
        Field<NonNullGraphType<IntGraphType>>("conversationsUnchanged")
            .Description("Conversations this run found as the previous run archived them, and skipped.").Resolve(c => c.Source.ConversationsUnchanged);
        Field<NonNullGraphType<IntGraphType>>("messagesArchived")
            .Description("Messages this run wrote with their details: up to 20 of each conversation it archived (a moved conversation's again, since their reactions may have changed).")
            .Resolve(c => Clamped(c.Source.MessagesArchived));
        Field<NonNullGraphType<IntGraphType>>("callsUsed")
            .Description("Graph API calls this run made, each spent from the Page's Conversations API allowance (at most its background share, after readers).")
            .Resolve(c => Clamped(c.Source.CallsUsed));
        Field<IsoDateTimeGraphType>("startedAt").Description("When this run started (a resumed run keeps its start).").Resolve(c => c.Source.StartedAt);
        Field<IsoDateTimeGraphType>("finishedAt").Description("When this run completed or failed.").Resolve(c => c.Source.FinishedAt);
        Field<StringGraphType>("lastError")
            .Description("Why the run failed, or why it is paused (Meta's rate limit, Meta unavailable). Holds no token.")
            .Resolve(c => c.Source.LastError);
    }

    private static int Clamped(long count) => (int)Math.Min(count, int.MaxValue);
}
