using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Caching;
using Gateway.Upstream;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Inbox;

/// <summary>
/// Which conversation a person has with a Page. Webhooks name the person only: an event of a person already known carries
/// their conversation; a new person's event is published at once without it, and the conversation is looked up after
/// (<c>/{page}/conversations?platform=…&amp;user_id=…&amp;fields=id,participants</c>, one Graph call with the Page's
/// configured token) in the background, within the Page's allowance and behind its readers, never holding an event. A
/// subscriber's field that needs it sooner looks it up with the subscriber's own token. Up to <see cref="Capacity"/>
/// people are remembered; the participants come along, so delivered messages know the sender's name.
/// </summary>
public sealed partial class PersonConversations(
    IServiceScopeFactory scopes, IOptions<ManagedPagesOptions> pages, GraphResultCache cache, ILogger<PersonConversations> logger) : IHostedService
{
    /// <summary>People remembered at most; past it a tenth are forgotten (each costs one lookup again if they write).</summary>
    private const int Capacity = 100_000;
    private static readonly FieldList Fields = FieldList.Of("id", "participants");
    private readonly ConcurrentDictionary<(string Page, Platform Platform, string Person), PersonConversation> _known = new();
    private readonly ConcurrentDictionary<string, (string Page, Platform Platform, string Person)> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Page, Platform Platform, string Person), bool> _queued = new();
    private readonly ConcurrentDictionary<(string Page, Platform Platform, string Person), Lazy<Task<PersonConversation?>>> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _pageWorkers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Channel<(Platform Platform, string Person)>> _pageQueues = new(StringComparer.Ordinal);

    /// <summary>The conversation when this person is known already; no Graph call.</summary>
    public PersonConversation? Known(string pageId, Platform platform, string personId)
        => _known.GetValueOrDefault((pageId, platform, personId));

    /// <summary>Whose conversation this is (its Page, platform and person), when the gateway has met it; no Graph call.</summary>
    public (string PageId, Platform Platform, string PersonId)? PersonIn(string conversationId)
        => _people.TryGetValue(conversationId, out var person) ? person : null;

    /// <summary>Remembers a person's conversation the gateway learnt otherwise (a send read the thread).</summary>
    public void Remember(string pageId, Platform platform, string personId, PersonConversation conversation)
        => Keep((pageId, platform, personId), conversation);

    /// <summary>Looks the person's conversation up in the background (once, however many of their events come first), then
    /// drops what the cache holds of it: the event it is looked up for changed it.</summary>
    public void LookUpInBackground(string pageId, Platform platform, string personId)
    {
        if (!_known.ContainsKey((pageId, platform, personId)) && _queued.TryAdd((pageId, platform, personId), true))
        {
            _pageQueues.GetOrAdd(pageId, StartPage).Writer.TryWrite((platform, personId));
        }
    }

    /// <summary>The conversation, or null when there is no token to ask with or Graph does not know it.</summary>
    /// <param name="accessToken">A token of the Page to ask with (a subscriber's, which proved access to the Page); the
    /// Page's configured one when null.</param>
    public Task<PersonConversation?> FindAsync(string pageId, Platform platform, string personId, string? accessToken,
        CancellationToken cancellationToken, CallPriority priority = CallPriority.Foreground)
    {
        var key = (pageId, platform, personId);
        if (_known.TryGetValue(key, out var known))
        {
            return Task.FromResult<PersonConversation?>(known);
        }
        // Fields of one event (its message's sender, its conversation) and the background lookup ask at once: one call.
        // No asker's cancellation stops the call the others wait for.
        var lookup = _inFlight.GetOrAdd(key, _ => new Lazy<Task<PersonConversation?>>(
            () => LookUpAsync(key, accessToken, priority, CancellationToken.None)));
        return lookup.Value.WaitAsync(cancellationToken);
    }

    private async Task<PersonConversation?> LookUpAsync((string Page, Platform Platform, string Person) key, string? accessToken,
        CallPriority priority, CancellationToken cancellationToken)
    {
        try
        {
            return await AskGraphAsync(key, accessToken, priority, cancellationToken);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<PersonConversation?> AskGraphAsync((string Page, Platform Platform, string Person) key, string? accessToken,
        CallPriority priority, CancellationToken cancellationToken)
    {
        var (pageId, platform, personId) = key;
        accessToken ??= pages.Value.Pages.TryGetValue(pageId, out var page) && page.AccessToken.Length > 0 ? page.AccessToken : null;
        if (accessToken is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<GovernedGraphClient>();
        client.Priority = priority;
        try
        {
            var response = await client.GetConversationsAsync(accessToken, pageId,
                new ConversationsQuery(platform, UserId: personId, Limit: 1, Fields: Fields), cancellationToken);
            if (response.Value.Data is not [var conversation, ..])
            {
                return null;
            }
            var found = new PersonConversation(conversation.Id, conversation.Participants?.Data ?? []);
            Keep(key, found);
            return found;
        }
        catch (Exception error) when (error is GraphApiException or Api.GatewayError or Polly.ExecutionRejectedException or HttpRequestException)
        {
            // The next event of this person, or a subscriber's field, tries again.
            Log.NotFound(logger, platform, pageId, error.GetType().Name);
            return null;
        }
    }

    private void Keep((string Page, Platform Platform, string Person) key, PersonConversation conversation)
    {
        if (_known.Count >= Capacity)
        {
            foreach (var forgotten in _known.Keys.Take(Capacity / 10))
            {
                if (_known.TryRemove(forgotten, out var dropped))
                {
                    _people.TryRemove(dropped.Id, out _);
                }
            }
        }
        _known[key] = conversation;
        _people[conversation.Id] = key;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pageWorkers.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>One worker per Page, so that a Page's lookups (paced by its own allowance) never hold another Page's.</summary>
    private Channel<(Platform, string)> StartPage(string pageId)
    {
        var queue = Channel.CreateUnbounded<(Platform Platform, string Person)>(new UnboundedChannelOptions { SingleReader = true });
        _pageWorkers[pageId] = Task.Run(async () =>
        {
            try
            {
                await foreach (var (platform, person) in queue.Reader.ReadAllAsync(_stopping.Token))
                {
                    var found = await FindAsync(pageId, platform, person, accessToken: null, _stopping.Token, CallPriority.Background);
                    _queued.TryRemove((pageId, platform, person), out _);
                    if (found is not null)
                    {
                        // The listings went with the event; what is cached of the conversation itself goes now.
                        await cache.ObjectChangedAsync(found.Id, _stopping.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        });
        return queue;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not find the {Platform} conversation of a person with Page {PageId}: {Error}")]
        public static partial void NotFound(ILogger logger, Platform platform, string pageId, string error);
    }
}
