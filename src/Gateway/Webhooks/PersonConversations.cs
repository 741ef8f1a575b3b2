using System.Collections.Concurrent;
using Gateway.Meta;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Which conversation a person has with a Page. Webhooks name the person only; the first event from a person costs one
/// Graph call (<c>/{page}/conversations?platform=…&amp;user_id=…&amp;fields=id,participants</c>, with the Page's configured
/// token, through the governed client), and every later event of that person none (up to <see cref="Capacity"/> people).
/// The participants come with it, so delivered messages know the sender's name too.
/// </summary>
public sealed class PersonConversations(IServiceScopeFactory scopes, IOptions<ManagedPagesOptions> pages, ILogger<PersonConversations> logger)
{
    /// <summary>People remembered at most; past it a tenth are forgotten (each costs one lookup again if they write).</summary>
    private const int Capacity = 100_000;
    private static readonly FieldList Fields = FieldList.Of("id", "participants");
    private readonly ConcurrentDictionary<(string Page, Platform Platform, string Person), PersonConversation> _known = new();

    /// <summary>The conversation, or null when there is no token to ask with or Graph does not know it.</summary>
    /// <param name="accessToken">A token of the Page to ask with (a subscriber's, which proved access to the Page); the
    /// Page's configured one when null.</param>
    public async Task<PersonConversation?> FindAsync(string pageId, Platform platform, string personId, string? accessToken, CancellationToken cancellationToken)
    {
        var key = (pageId, platform, personId);
        if (_known.TryGetValue(key, out var known))
        {
            return known;
        }
        accessToken ??= pages.Value.Pages.TryGetValue(pageId, out var page) && page.AccessToken.Length > 0 ? page.AccessToken : null;
        if (accessToken is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<GovernedGraphClient>();
        try
        {
            var response = await client.GetConversationsAsync(accessToken, pageId,
                new ConversationsQuery(platform, UserId: personId, Limit: 1, Fields: Fields), cancellationToken);
            if (response.Value.Data is not [var conversation, ..])
            {
                return null;
            }
            var found = new PersonConversation(conversation.Id, conversation.Participants?.Data ?? []);
            if (_known.Count >= Capacity)
            {
                foreach (var forgotten in _known.Keys.Take(Capacity / 10))
                {
                    _known.TryRemove(forgotten, out _);
                }
            }
            _known[key] = found;
            return found;
        }
        catch (Exception error) when (error is GraphApiException or Api.GatewayError or Polly.ExecutionRejectedException or HttpRequestException)
        {
            // The event is still published, without its conversation; the next event of this person tries again.
            logger.LogWarning("Could not find the {Platform} conversation of a person with Page {PageId}: {Error}", platform, pageId, error.GetType().Name);
            return null;
        }
    }
}
