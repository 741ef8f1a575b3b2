using Gateway.Api;
using Gateway.Archive.Reads;
using Gateway.Caching;
using Gateway.Callers;
using Gateway.DataLoading;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.InboxSync;

/// <summary>The inbox sync in the schema: <c>startInboxSync</c> starts it, <c>inboxSync</c> reads it,
/// <c>inboxSyncProgress</c> follows it. Reading it needs read access to the Page; starting it, its send permission.</summary>
public static class InboxSyncFields
{
    public static void AddInboxSyncQueries(this ObjectGraphType query)
        => query.Field<InboxSyncType>("inboxSync")
            .Description("Where the sync of a Page's inbox on one platform into the message archive stands; null when it never ran. No Graph API call.")
            .WithSyncArguments()
            .ResolveAsync(async context =>
            {
                var (sync, pageId, platform) = await ReadableAsync(context);
                // A run's progress is no cached Graph answer: never kept.
                context.RequestServices!.GetRequiredService<ResponseFreshness>().Untracked();
                return await sync.GetAsync(pageId, platform, context.CancellationToken);
            });

    public static void AddInboxSyncMutations(this ObjectGraphType mutation)
        => mutation.Field<NonNullGraphType<StartInboxSyncPayloadType>>("startInboxSync")
            .Description("Starts the sync of a Page's inbox on one platform into the message archive, in the background and within the Page's allowance (after its readers), or reports the run already doing it on any instance. A sync that stopped resumes from where it did; after a completed one, only conversations that moved since are read again. An API key or JWT needs the Page's send permission; a forwarded Page token may start it (it is held in memory only, never stored).")
            .Argument<NonNullGraphType<StartInboxSyncInputType>>("input")
            .ResolveAsync(async context => await StartAsync(context));

    public static void AddInboxSyncSubscriptions(this ObjectGraphType subscription)
        => subscription.Field<NonNullGraphType<InboxSyncType>>("inboxSyncProgress")
            .Description("The sync of a Page's inbox on one platform as it goes: its state now, then at each change, until a run seen working completes or stops.")
            .WithSyncArguments()
            .ResolveStreamAsync(async context =>
            {
                var (sync, pageId, platform) = await ReadableAsync(context);
                return new AsyncEnumerableObservable<InboxSyncStatus>(token => sync.WatchAsync(pageId, platform, token));
            })
            .Resolve(context => context.Source);

    private static FieldBuilder<object?, TReturn> WithSyncArguments<TReturn>(this FieldBuilder<object?, TReturn> field)
        => field
            .Argument<NonNullGraphType<IdGraphType>>("pageId", "The Page's `id` or Meta's Page id.")
            .Argument<NonNullGraphType<PlatformType>>("platform", "Messenger or Instagram.");

    /// <summary>The sync service and the Page's platform, once the caller proved it may read the Page: its loaders' archive
    /// sees the Page only with the Page's own token.</summary>
    private static async Task<(InboxSyncService Sync, string PageId, Platform Platform)> ReadableAsync(IResolveFieldContext context)
    {
        var services = context.RequestServices!;
        var sync = services.GetService<InboxSyncService>() ?? throw PageArchives.NotConfigured();
        var pageId = GlobalIds.MetaIdOf(context.GetArgument<string>("pageId"), GlobalIds.Page, "pageId");
        var archive = services.GetRequiredService<RequestLoaders>().ForPage(pageId).Archive ?? throw PageArchives.NotConfigured();
        await archive.EnsurePageAsync(pageId, context.CancellationToken);
        return (sync, pageId, context.GetArgument<Platform>("platform"));
    }

    /// <summary>HotChocolate's mutation conventions: what stops the start is one of the payload's <c>errors</c>. An API key
    /// or JWT needs the Page's send permission (<see cref="AccessTokens.ForSending"/>), and the sync uses the Page's
    /// configured token; without caller authentication, the forwarded Page token (the Page's own credential), else the
    /// configured one.</summary>
    private static async Task<StartInboxSyncPayload> StartAsync(IResolveFieldContext context)
    {
        var input = context.GetArgument<StartInboxSyncInput>("input");
        try
        {
            var services = context.RequestServices!;
            var sync = services.GetService<InboxSyncService>() ?? throw PageArchives.NotConfigured();
            var pageId = GlobalIds.MetaIdOf(input.PageId, GlobalIds.Page, "pageId");
            var token = services.GetRequiredService<AccessTokens>().ForSending(pageId);
            await services.GetRequiredService<PageArchives>().For(token, services.GetRequiredService<ResponseFreshness>()).EnsurePageAsync(pageId, context.CancellationToken);
            return new StartInboxSyncPayload(await sync.StartAsync(pageId, input.Platform, token, context.CancellationToken), null);
        }
        catch (GatewayError error)
        {
            return new StartInboxSyncPayload(null, [new InboxSyncError(error.Code ?? "ERROR", error.Message)]);
        }
    }
}

public sealed class StartInboxSyncInput
{
    public string PageId { get; set; } = "";

    public Platform Platform { get; set; }
}

public sealed class StartInboxSyncInputType : InputObjectGraphType<StartInboxSyncInput>
{
    public StartInboxSyncInputType()
    {
        Name = "StartInboxSyncInput";
        Description = "The inbox to sync.";
        Field<NonNullGraphType<IdGraphType>>("pageId").Description("The Page's `id` or Meta's Page id.");
        Field<NonNullGraphType<PlatformType>>("platform").Description("Messenger or Instagram.");
    }
}

/// <summary>Why a sync did not start: a stable <see cref="Code"/> (as in <c>extensions.code</c> elsewhere) and a message.</summary>
public sealed record InboxSyncError(string Code, string Message);

public sealed record StartInboxSyncPayload(InboxSyncStatus? InboxSync, IReadOnlyList<InboxSyncError>? Errors);

public sealed class StartInboxSyncPayloadType : ObjectGraphType<StartInboxSyncPayload>
{
    public StartInboxSyncPayloadType()
    {
        Name = "StartInboxSyncPayload";
        Description = "The sync that holds the Page's inbox now, or why none started.";
        Field<InboxSyncType>("inboxSync").Description("The run holding the sync: the one just started, or the one already running.").Resolve(c => c.Source.InboxSync);
        Field<ListGraphType<NonNullGraphType<StartInboxSyncErrorType>>>("errors").Description("Why the sync did not start; null when it did.").Resolve(c => c.Source.Errors);
    }
}

public sealed class StartInboxSyncErrorType() : ErrorUnionGraphType("StartInboxSyncError", typeof(InboxSyncErrorType));

public sealed class InboxSyncErrorType : ErrorGraphType<InboxSyncError>
{
    public InboxSyncErrorType() : base("InboxSyncError", "Why a sync did not start.", error => error.Message)
        => Field<NonNullGraphType<StringGraphType>>("code")
            .Description("What went wrong, for a program: `ARCHIVE_NOT_CONFIGURED`, `FORBIDDEN` (no send permission), `META_PERMISSION_DENIED` (another Page's token), `META_TOKEN_MISSING`, `META_TOKEN_INVALID`, `INVALID_ID`.")
            .Resolve(c => c.Source.Code);
}
