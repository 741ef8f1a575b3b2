using MetaGraph;

namespace Gateway.DataLoading;

/// <summary>Keys that each need their own Graph request (pages behind cursors, listings of several Pages): one key is one
/// direct call; several go out as one batch request, where a failed item fails only its own key.</summary>
public static class OneOrBatchRead
{
    public static async Task ReadAsync<TKey, TValue>(
        IMetaGraphClient client, string accessToken, IReadOnlyList<TKey> keys, BatchResults<TKey, TValue> results,
        Func<TKey, Task<TValue>> readOne, Func<TKey, string> relativeUrl, Action<TKey, TValue> complete, CancellationToken cancellationToken)
        where TKey : notnull
    {
        if (keys is [var key])
        {
            complete(key, await readOne(key));
            return;
        }
        var items = (await client.BatchAsync(accessToken, keys.Select(k => new BatchRequest(relativeUrl(k))).ToList(), cancellationToken)).Value;
        for (var i = 0; i < keys.Count; i++)
        {
            if (items[i] is { Error: null, Body: { } body })
            {
                complete(keys[i], GraphJson.Deserialize<TValue>(body));
            }
            else
            {
                results.Fail(keys[i], items[i].Error!);
            }
        }
    }
}
