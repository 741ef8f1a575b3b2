using Gateway.DataLoading;
using Gateway.Projection;
using MetaGraph;

namespace Gateway.Participants;

/// <summary>A person's user profile fields (a <see cref="GraphFieldCatalog"/> bit set of <see cref="ParticipantType"/>).</summary>
public sealed record ProfileKey(string Id, ulong Fields);

/// <summary>
/// Meta's user profile reads (Messenger <c>GET /{PSID}?fields=name,profile_pic</c>, Instagram
/// <c>GET /{IGSID}?fields=name,username,profile_pic</c>): one <c>?ids=</c> call per 50 people with the union of the fields
/// asked for. Graph fails a whole <c>ids=</c> read for one id it does not serve (a Page has no profile), so such a read
/// is retried item by item through the batch endpoint; a person Graph does not serve has no profile (null).
/// </summary>
public sealed class ProfileLoader(IMetaGraphClient client, string accessToken, DataLoaderOptions options)
    : BatchLoader<ProfileKey, Participant?>(options)
{
    protected override async Task FetchAsync(
        IReadOnlyList<ProfileKey> keys, BatchResults<ProfileKey, Participant?> results, CancellationToken cancellationToken)
    {
        var fields = GraphFieldCatalog.For<ParticipantType>().RenderProfile(keys.Aggregate(0UL, (all, key) => all | key.Fields));
        var ids = keys.Select(key => key.Id).Distinct().ToList();
        IReadOnlyDictionary<string, Participant> profiles;
        try
        {
            profiles = (await client.GetByIdsAsync<Participant>(accessToken, ids, fields, cancellationToken)).Value;
        }
        catch (GraphApiException error) when (IsUnserved(error) && ids.Count > 1)
        {
            profiles = await FetchOneByOneAsync(ids, fields, cancellationToken);
        }
        catch (GraphApiException error) when (IsUnserved(error))
        {
            profiles = new Dictionary<string, Participant>();
        }
        foreach (var key in keys)
        {
            results.Set(key, profiles.GetValueOrDefault(key.Id));
        }
    }

    private async Task<IReadOnlyDictionary<string, Participant>> FetchOneByOneAsync(List<string> ids, FieldList fields, CancellationToken cancellationToken)
    {
        var items = (await client.BatchAsync(accessToken, ids.Select(id => new BatchRequest(RelativeUrl.Node(id, fields), Api: MetaApi.Profiles)).ToList(), cancellationToken)).Value;
        var profiles = new Dictionary<string, Participant>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (items[i] is { Error: null, Body: { } body })
            {
                profiles[ids[i]] = GraphJson.Deserialize<Participant>(body);
            }
            else if (!IsUnserved(items[i].Error!))
            {
                throw items[i].Error!;
            }
        }
        return profiles;
    }

    /// <summary>No such person for this token, or no such field on what the id names (a Page).</summary>
    private static bool IsUnserved(GraphApiException error) => error.IsNotFound || error.Code == 100;
}
