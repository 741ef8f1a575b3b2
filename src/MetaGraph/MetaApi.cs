namespace MetaGraph;

/// <summary>
/// Meta limits each Messenger Platform API on its own ("Messenger Platform rate limits"), so a call is priced against the
/// allowance of the API it belongs to, never another's.
/// </summary>
public enum MetaApi
{
    /// <summary>The Conversations API: listings, threads and message reads; 2 calls per second per Page (each id of an
    /// <c>ids=</c> read and each batch item counts).</summary>
    Conversations,

    /// <summary>The rest of the Messenger API, where user profile reads belong: 200 calls per engaged user (people the
    /// Page can message) in 24 hours, per Page.</summary>
    Profiles,

    /// <summary>The Send API for text, links, reactions, stickers and sender actions: 300 calls per second per Page.</summary>
    Send,

    /// <summary>The Send API for audio and video: 10 calls per second per Page.</summary>
    SendMedia,
}

public static class MetaApis
{
    /// <summary>The API a read of <typeparamref name="T"/> by id belongs to: a person is a user profile read, anything
    /// else (a conversation, a message) the Conversations API.</summary>
    public static MetaApi OfRead<T>() => typeof(T) == typeof(Participant) ? MetaApi.Profiles : MetaApi.Conversations;
}
