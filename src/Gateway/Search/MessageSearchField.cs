using Gateway.Api;
using Gateway.Archive;
using Gateway.Archive.Reads;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Paging;
using GraphQL;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Search;

/// <summary><c>Page.searchMessages</c>: full-text search over the archive's copy of the Page's messages. It reads the
/// archive's database only: no Graph API call, whatever the Page's allowance.</summary>
public static class MessageSearchField
{
    /// <summary>A few sentences; the archive searches at most 16 terms anyway.</summary>
    private const int MaxQueryLength = 500;

    /// <param name="pageId">The Page a source of <paramref name="page"/> is.</param>
    public static void AddMessageSearch<TPage>(this ObjectGraphType<TPage> page, Func<TPage, string> pageId)
        => page.Field<SearchMessagesConnectionType>("searchMessages")
            .Description("Messages of the Page's inboxes that contain the query's words, most relevant first, then newest, searched in the message archive (no Graph API call). Case and accents are ignored (`Zoë` finds `zoe`); words are letters and digits in any script, so emoji and punctuation only separate them. Deleted and purged messages are never found.")
            .Argument<NonNullGraphType<StringGraphType>>("query",
                $"Words that must all appear (`refund order`); `\"order was shipped\"` for words side by side in that order; `ship*` for words starting with `ship`. Anything else (`-`, `OR`, `NEAR`, parentheses, quotes left open) is plain text, never an operator. At most {MaxQueryLength} characters.")
            .Argument<PlatformType>("platform", "Only this inbox; both when omitted.")
            .Argument<IsoDateTimeGraphType>("from", "Only messages sent at or after this time.")
            .Argument<IsoDateTimeGraphType>("to", "Only messages sent before this time.")
            .Argument<IntGraphType>("first", $"Returns the first _n_ elements from the list (default {ConnectionSize.Default}, at most {ConnectionSize.Max}).")
            .Argument<StringGraphType>("after", "Returns the elements in the list that come after the specified cursor.")
            .ResolveAsync(async context => await SearchAsync(context, pageId(context.Source)));

    private static async Task<MessageSearchResults> SearchAsync(IResolveFieldContext context, string pageId)
    {
        var request = Request(context, pageId);
        // The Page's loaders: the caller may read the Page (or this fails), and their archive sees only what its token may.
        var loaders = context.RequestServices!.GetRequiredService<RequestLoaders>().ForPage(pageId);
        var archive = loaders.Archive ?? throw PageArchives.NotConfigured();
        ArchivePage<MessageSearchHit> hits;
        try
        {
            hits = await archive.SearchAsync(request, context.CancellationToken);
        }
        catch (ArgumentException)
        {
            throw new GatewayError("PAGING_INVALID_CURSOR", "The `after` cursor is not one this search issued.",
                new Dictionary<string, object?> { ["argument"] = "after" });
        }
        // A message erased or purged since the search matched it is left out, like any other deleted one.
        var stored = await archive.ReadAsync([.. hits.Edges.Select(edge => edge.Node.MessageId)], withAge: false, context.CancellationToken);
        var edges = hits.Edges
            .Where(edge => stored.ContainsKey(edge.Node.MessageId))
            .Select(edge => new MessageSearchEdge(
                MessageNode.FromLookup(edge.Node.MessageId, MessageDetails.FromArchive(stored[edge.Node.MessageId].Message), MessageFields.None, loaders),
                edge.Cursor, edge.Node, loaders))
            .ToList();
        return new MessageSearchResults(edges, new PageInfo(hits.HasNextPage, request.After is not null, edges.FirstOrDefault()?.Cursor, hits.EndCursor));
    }

    private static MessageSearchRequest Request(IResolveFieldContext context, string pageId)
    {
        var query = context.GetArgument<string>("query");
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxQueryLength)
        {
            throw new GatewayError("SEARCH_QUERY_INVALID", $"`query` must hold words to search for, at most {MaxQueryLength} characters.");
        }
        var first = context.GetArgument<int?>("first") ?? ConnectionSize.Default;
        if (first is < 1 or > ConnectionSize.Max)
        {
            throw new GatewayError("PAGING_SIZE_OUT_OF_RANGE", $"The requested page size `first: {first}` must be between 1 and {ConnectionSize.Max}.",
                new Dictionary<string, object?> { ["argument"] = "first", ["requested"] = first, ["min"] = 1, ["max"] = ConnectionSize.Max });
        }
        var (from, to) = (context.GetArgument<DateTimeOffset?>("from"), context.GetArgument<DateTimeOffset?>("to"));
        if (from >= to)
        {
            throw new GatewayError("SEARCH_TIME_RANGE_INVALID", "`from` must be before `to`.");
        }
        return new MessageSearchRequest(query, [pageId])
        {
            Platform = context.GetArgument<Platform?>("platform"),
            Since = from,
            Until = to,
            First = first,
            After = context.GetArgument<string?>("after"),
        };
    }
}
