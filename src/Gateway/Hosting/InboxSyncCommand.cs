using Gateway.Archive;
using Gateway.Archive.Hosting;
using Gateway.Caching;
using Gateway.Callers;
using Gateway.Inbox;
using Gateway.InboxSync;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Gateway.Hosting;

/// <summary>
/// <c>dotnet run --project src/Gateway -- sync --page &lt;id&gt; --platform messenger|instagram</c>: syncs a Page's inbox
/// into the archive from this process, with the gateway's configuration (<c>ConnectionStrings:Archive</c>, the Page's
/// configured token, Meta's address, and <c>ConnectionStrings:Redis</c> to share the Page's allowance with running
/// gateways), showing a live progress bar; on a fresh clone, the demo's Pages from an embedded emulator of its own into the
/// demo's archive. When a gateway instance runs that sync already, it follows that run instead.
/// Exit code 0 when the sync completed, 1 when it failed or was stopped (run it again to resume), 2 for a wrong command.
/// </summary>
public static class InboxSyncCommand
{
    private const int Completed = 0;
    private const int NotCompleted = 1;
    private const int Usage = 2;

    public static bool IsRequested(string[] args) => args is ["sync", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var pageId = Option(args, "--page");
        Platform? platform = Option(args, "--platform")?.ToLowerInvariant() switch
        {
            "messenger" => Platform.Messenger,
            "instagram" => Platform.Instagram,
            _ => null,
        };
        if (pageId is null || platform is null)
        {
            return Refuse("usage: sync --page <page id> --platform messenger|instagram");
        }
        var builder = WebApplication.CreateSlimBuilder();
        // The progress bar is the output; what goes wrong is in the sync's own state.
        builder.Logging.ClearProviders();
        // On a fresh clone (the demo), the demo's Pages on an emulator of its own, into the demo's archive.
        builder.AddDemoEmulator();
        builder.AddRedisConnection();
        builder.AddGraphResultCache();
        builder.AddMetaUpstream();
        // No callers: the command acts as the operator, with the Page's configured token.
        builder.Services.AddScoped<CallerCredentials>();
        // The archive as the gateway registers it, with the inbox event spine its consumers hang on (started by no host here).
        builder.AddInboxEvents();
        builder.AddArchive();
        builder.AddInboxSync();
        builder.AddGatewayTelemetry();
        await using var app = builder.Build();
        if (app.Services.GetService<ArchiveDatabase>() is not { } database)
        {
            return Refuse("No message archive is configured: set ConnectionStrings:Archive (SQLite `Data Source=archive.db`, or a PostgreSQL connection string).");
        }
        if (!app.Services.GetRequiredService<IOptions<ManagedPagesOptions>>().Value.Pages.TryGetValue(pageId, out var page) || page.AccessToken.Length == 0)
        {
            return Refuse($"No access token is configured for Page {pageId}: set Meta:Pages:{pageId}:AccessToken (environment: Meta__Pages__{pageId}__AccessToken).");
        }
        await database.MigrateAsync();
        await using var emulator = await DemoEmulators.StartForCommandAsync(app.Services, CancellationToken.None);
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, press) =>
        {
            press.Cancel = true;
            interrupted.Cancel();
        };
        var sync = app.Services.GetRequiredService<InboxSyncService>();
        try
        {
            var last = await FollowAsync(sync, await sync.StartAsync(pageId, platform.Value, page.AccessToken, interrupted.Token), interrupted.Token);
            return Report(last);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("The sync was stopped; run the command again to resume it from where it stopped.");
            return NotCompleted;
        }
        finally
        {
            await sync.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Shows the run's progress until it ends; its last status.</summary>
    private static async Task<InboxSyncStatus> FollowAsync(InboxSyncService sync, InboxSyncStatus started, CancellationToken cancellationToken)
    {
        var last = started;
        Console.WriteLine($"Syncing the {started.Platform} inbox of Page {started.PageId} into the message archive.");
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 20 }, new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Describe(started));
                await foreach (var status in sync.WatchAsync(started.PageId, started.Platform, cancellationToken))
                {
                    Show(bar, status);
                    last = status;
                    if (!status.IsActive)
                    {
                        break;
                    }
                }
                bar.StopTask();
            });
        return last;
    }

    /// <summary>Meta's listing gives no count until its end: the bar runs without a total until then.</summary>
    private static void Show(ProgressTask bar, InboxSyncStatus status)
    {
        bar.Description = Describe(status);
        bar.IsIndeterminate = status.ConversationsTotal is null;
        bar.MaxValue = Math.Max(1, status.ConversationsTotal ?? status.ConversationsListed);
        bar.Value = status.ConversationsListed;
    }

    private static string Describe(InboxSyncStatus status)
        => $"{status.ConversationsListed:N0} conversations, {status.MessagesArchived:N0} messages, {status.CallsUsed:N0} calls"
           + (status.State == SyncState.Paused ? " [yellow](paused)[/]" : "");

    private static int Report(InboxSyncStatus status)
    {
        // Plain lines, unwrapped: scripts read them.
        if (status.State == SyncState.Completed)
        {
            Console.WriteLine($"Synced the {status.Platform} inbox of Page {status.PageId}: {status.ConversationsListed:N0} conversations " +
                $"({status.ConversationsArchived:N0} archived, {status.ConversationsUnchanged:N0} unchanged), {status.MessagesArchived:N0} messages, {status.CallsUsed:N0} Graph API calls.");
            return Completed;
        }
        Console.Error.WriteLine($"The sync did not complete ({status.State}): {status.LastError ?? "the run stopped."}");
        return NotCompleted;
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return Usage;
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();
}
