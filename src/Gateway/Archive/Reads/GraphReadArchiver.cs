using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gateway.Telemetry;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Archive.Reads;

/// <summary>
/// What the gateway's Graph reads say of messages and conversations, written to the archive off the request path: a read
/// hands its answers over and goes on (a bounded queue; past <see cref="ArchiveOptions.GraphReadQueueCapacity"/> they are
/// dropped, since a later read gives them again), and a background writer writes what the queue holds, a batch at a time.
/// An answer served again from the gateway's cache is the same object and is handed over once. While the database is
/// away, what reads give is dropped. Never a token: only the Page the reading token belongs to.
/// </summary>
public sealed partial class GraphReadArchiver : BackgroundService
{
    private const int BatchSize = 500;

    private readonly MessageArchive _archive;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<GraphRead> _queue;
    private readonly ConditionalWeakTable<object, object?> _handedOver = [];
    private bool _databaseAway;

    public GraphReadArchiver(MessageArchive archive, IOptions<ArchiveOptions> options, GatewayMetrics metrics, ILogger<GraphReadArchiver> logger)
    {
        _archive = archive;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<GraphRead>(new BoundedChannelOptions(options.Value.GraphReadQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Conversations a read of <paramref name="pageId"/> gave: their participants and updated time.</summary>
    public void Offer(string pageId, IEnumerable<Conversation> conversations)
    {
        foreach (var conversation in conversations)
        {
            if (conversation.UpdatedTime is not null || conversation.Participants is not null)
            {
                Offer(conversation, new ConversationRead(pageId, conversation));
            }
        }
    }

    /// <summary>Messages with details that a read of a conversation of <paramref name="pageId"/> gave, asked with
    /// <paramref name="asked"/>.</summary>
    public void Offer(string pageId, string conversationId, IEnumerable<Message> messages, FieldList asked)
    {
        foreach (var message in messages)
        {
            if (message.CreatedTime is not null)
            {
                Offer(message, new MessageRead(pageId, conversationId, message, asked));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in _queue.Reader.ReadBatchesAsync(BatchSize, stoppingToken))
        {
            await WriteAsync(batch, stoppingToken);
        }
    }

    private void Offer(object answer, GraphRead read)
    {
        if (!_handedOver.TryAdd(answer, null))
        {
            return;
        }
        if (!_queue.Writer.TryWrite(read))
        {
            Count(read, "dropped");
        }
    }

    private async Task WriteAsync(IReadOnlyList<GraphRead> batch, CancellationToken stoppingToken)
    {
        try
        {
            await _archive.UpsertConversationsAsync([.. batch.OfType<ConversationRead>().Select(read => read.ToArchived())], stoppingToken);
            await _archive.UpsertMessagesAsync([.. batch.OfType<MessageRead>().Select(read => read.ToArchived())], stoppingToken);
            Count(batch, "written");
            _databaseAway = false;
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            Count(batch, "dropped");
            if (!ArchiveDatabase.IsUnavailable(error))
            {
                Log.Failed(_logger, batch.Count, error);
                return;
            }
            _archive.ForgetConnections();
            if (!_databaseAway)
            {
                // Once an outage: every read while it lasts would say the same.
                _databaseAway = true;
                Log.DatabaseAway(_logger, error.GetType().Name);
            }
        }
    }

    private void Count(IEnumerable<GraphRead> reads, string outcome)
    {
        foreach (var read in reads)
        {
            Count(read, outcome);
        }
    }

    private void Count(GraphRead read, string outcome)
        => _metrics.ArchiveGraphReads.Add(1, new("kind", read is MessageRead ? "message" : "conversation"), new("outcome", outcome));

    private abstract record GraphRead(string PageId);

    private sealed record ConversationRead(string PageId, Conversation Conversation) : GraphRead(PageId)
    {
        public ArchivedConversation ToArchived() => ArchivedConversation.FromGraph(Conversation, PageId, GraphIds.PlatformOfConversation(Conversation.Id));
    }

    private sealed record MessageRead(string PageId, string ConversationId, Message Message, FieldList Asked) : GraphRead(PageId)
    {
        public ArchivedMessage ToArchived()
            => ArchivedMessages.FromGraph(Message, ConversationId, PageId, GraphIds.PlatformOfConversation(ConversationId), MessageSources.GraphRead, Asked);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The message archive's database did not answer ({Error}): what Graph reads give is not archived until it does.")]
        public static partial void DatabaseAway(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Count} messages and conversations from Graph reads were not archived.")]
        public static partial void Failed(ILogger logger, int count, Exception error);
    }
}
