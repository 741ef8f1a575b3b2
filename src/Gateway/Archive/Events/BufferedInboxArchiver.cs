using System.Threading.Channels;
using Gateway.Inbox;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Archive.Events;

/// <summary>
/// The archive's consumer of the inbox event spine on an instance without Redis, where consumers run as each event is
/// published: the event is put in a bounded buffer and the publisher goes on at once (subscribers never wait for the
/// database). A background writer takes what the buffer holds, up to <see cref="BatchSize"/> at a time, and writes it;
/// while the database is away it keeps the batch and tries again, waiting longer each time, so events received meanwhile
/// are archived when it is back. Past <see cref="ArchiveOptions.EventBufferCapacity"/> the oldest are dropped (counted and
/// logged); events still buffered when the process stops are lost (Redis keeps them, see <see cref="InboxArchiver"/>).
/// </summary>
public sealed partial class BufferedInboxArchiver : BackgroundService, IInboxEventConsumer
{
    private const int BatchSize = 500;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    private readonly InboxEventArchive _archive;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<InboxEvent> _buffer;

    public BufferedInboxArchiver(InboxEventArchive archive, IOptions<ArchiveOptions> options, TimeProvider time, GatewayMetrics metrics,
        ILogger<BufferedInboxArchiver> logger)
    {
        _archive = archive;
        _time = time;
        _logger = logger;
        _buffer = Channel.CreateBounded<InboxEvent>(
            new BoundedChannelOptions(options.Value.EventBufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                metrics.ArchiveEvents.Add(1, new("kind", dropped.Kind.ToString()), new("outcome", "dropped"));
                Log.Dropped(logger, dropped.PageId);
            });
    }

    public Task ConsumeAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        _buffer.Writer.TryWrite(inboxEvent);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in _buffer.Reader.ReadBatchesAsync(BatchSize, stoppingToken))
        {
            await WriteUntilDoneAsync(batch, stoppingToken);
        }
    }

    private async Task WriteUntilDoneAsync(IReadOnlyList<InboxEvent> batch, CancellationToken stoppingToken)
    {
        for (var wait = FirstRetry; ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks)))
        {
            try
            {
                await _archive.ArchiveAsync(batch, stoppingToken);
                return;
            }
            catch (Exception error) when (ArchiveDatabase.IsUnavailable(error) && !stoppingToken.IsCancellationRequested)
            {
                Log.Waiting(_logger, batch.Count, wait.TotalSeconds, error.GetType().Name);
                await Task.Delay(wait, _time, stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // Not the database's absence: trying again would fail again, and hold every event behind it.
                Log.Failed(_logger, batch.Count, error);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The message archive's database did not answer ({Error}): {Count} inbox events wait, written again in {Seconds} s.")]
        public static partial void Waiting(ILogger logger, int count, double seconds, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Count} inbox events were not archived.")]
        public static partial void Failed(ILogger logger, int count, Exception error);

        [LoggerMessage(Level = LogLevel.Error, Message = "An inbox event of Page {PageId} was not archived: the archive's buffer is full (Archive:EventBufferCapacity) while its database is away.")]
        public static partial void Dropped(ILogger logger, string pageId);
    }
}
