using Gateway.Api;
using GraphQL;

namespace Gateway.Paging;

/// <summary>
/// <c>first/after/last/before</c>, validated, and turned into one Graph API read:
/// forward reads <c>after=</c> Meta's nearest cursor and skips to the edge; backward reads <c>before=</c> and drops
/// the items between Meta's cursor and the edge.
/// </summary>
public sealed record ConnectionArguments(int? First, ConnectionCursor? After, int? Last, ConnectionCursor? Before)
{
    public bool IsBackward => Last is not null;

    /// <summary>How many items the client asked for.</summary>
    public int Count => Last ?? First ?? ConnectionSize.Default;

    public MetaPageRequest ToMetaRequest() => IsBackward
        ? new MetaPageRequest(Count + Before!.BeforeDrop, After: null, Before: Before.BeforeAnchor, Skip: 0, Drop: Before.BeforeDrop)
        : new MetaPageRequest(Count + (After?.AfterSkip ?? 0), After: After?.AfterAnchor, Before: null, Skip: After?.AfterSkip ?? 0, Drop: 0);

    /// <summary>Position, from the newest item, of the first item Graph will return for <see cref="ToMetaRequest"/>.</summary>
    public int FirstMetaPosition(int returnedCount) => IsBackward
        ? Before!.Position + Before.BeforeDrop - returnedCount
        : After is null ? 0 : After.Position + 1 - After.AfterSkip;

    public static ConnectionArguments From(IResolveFieldContext context)
        => Parse(context.GetArgument<int?>("first"), context.GetArgument<string?>("after"),
            context.GetArgument<int?>("last"), context.GetArgument<string?>("before"));

    public static ConnectionArguments Parse(int? first, string? after, int? last, string? before)
    {
        if (first is not null && last is not null)
        {
            throw new GatewayError("PAGING_INVALID_ARGUMENTS", "Pass either `first` or `last`, not both.");
        }
        CheckSize("first", first);
        CheckSize("last", last);
        if (last is null && before is not null)
        {
            throw new GatewayError("PAGING_INVALID_ARGUMENTS", "`before` pages backwards: pass it with `last`.");
        }
        if (last is not null && before is null)
        {
            // Graph API can only walk from the newest item, so "the last n items" has no single-call answer.
            throw new GatewayError("PAGING_INVALID_ARGUMENTS", "`last` needs a `before` cursor: Graph API pages from the newest item.");
        }
        return new ConnectionArguments(first, DecodeCursor("after", after), last, DecodeCursor("before", before));
    }

    private static void CheckSize(string argument, int? size)
    {
        if (size is < 0 or > ConnectionSize.Max)
        {
            throw new GatewayError("PAGING_SIZE_OUT_OF_RANGE",
                $"The requested page size `{argument}: {size}` must be between 0 and {ConnectionSize.Max}.",
                new Dictionary<string, object?> { ["argument"] = argument, ["requested"] = size, ["min"] = 0, ["max"] = ConnectionSize.Max });
        }
    }

    private static ConnectionCursor? DecodeCursor(string argument, string? value)
    {
        if (value is null)
        {
            return null;
        }
        return ConnectionCursor.TryDecode(value, out var cursor)
            ? cursor
            : throw new GatewayError("PAGING_INVALID_CURSOR", $"The `{argument}` cursor is not one this API issued.",
                new Dictionary<string, object?> { ["argument"] = argument });
    }
}

/// <summary>One Graph API edge read, and what to cut from its result.</summary>
public sealed record MetaPageRequest(int Limit, string? After, string? Before, int Skip, int Drop);
