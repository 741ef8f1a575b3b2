using System.Text.Json;
using System.Text.Json.Serialization;
using MetaGraph.Json;

namespace MetaGraph;

/// <summary>The two inboxes the conversations endpoints serve.</summary>
public enum Platform { Messenger, Instagram }

// The wire models have plain setters rather than init-only or required members: System.Text.Json reads those through
// its constructor-argument path, which made an inbox page take about a quarter longer to read. [JsonRequired] keeps
// ids mandatory on the wire; the types an inbox page holds by the hundred check theirs after reading instead
// (RequiredId), as [JsonRequired] costs a bit array per object read.

/// <summary>A person or Page in <c>from</c>, <c>to</c> or <c>participants</c>, or a user profile read by id.
/// Messenger sends <c>name</c> and a synthetic <c>email</c>; Instagram sends <c>username</c> and <c>user_id</c>;
/// only a profile read (<c>GET /{PSID|IGSID}?fields=name,profile_pic</c>) gives <c>profile_pic</c>.</summary>
public sealed record Participant : IJsonOnDeserialized
{
    [JsonPropertyName("id"), JsonConverter(typeof(RepeatedTextConverter))] public string Id { get; set; } = "";
    [JsonPropertyName("name"), JsonConverter(typeof(RepeatedTextConverter))] public string? Name { get; set; }
    [JsonPropertyName("email"), JsonConverter(typeof(RepeatedTextConverter))] public string? Email { get; set; }
    [JsonPropertyName("username"), JsonConverter(typeof(RepeatedTextConverter))] public string? Username { get; set; }
    /// <summary>An Instagram participant's Instagram user id, next to its Instagram-scoped <see cref="Id"/>.</summary>
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("profile_pic")] public string? ProfilePic { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => RequiredId.Check(Id, "participant");
}

/// <summary>A list Graph wraps as <c>{"data":[...],"paging":{...}}</c>: a page of an edge (<c>/{page}/conversations</c>,
/// <c>/{conversation}/messages</c>) or a nested list (participants, attachments).</summary>
public sealed record GraphList<T>
{
    [JsonPropertyName("data")] public IReadOnlyList<T> Data { get; set; } = [];
    [JsonPropertyName("paging")] public GraphPaging? Paging { get; set; }
}

/// <summary>Graph's cursor paging block. <see cref="Next"/> and <see cref="Previous"/> never carry the access token.</summary>
public sealed record GraphPaging
{
    [JsonPropertyName("cursors")] public GraphCursors? Cursors { get; set; }
    [JsonPropertyName("next"), JsonConverter(typeof(PagingUrlConverter))] public string? Next { get; set; }
    [JsonPropertyName("previous"), JsonConverter(typeof(PagingUrlConverter))] public string? Previous { get; set; }

    [JsonIgnore] public bool HasNext => Next is not null;
}

public sealed record GraphCursors
{
    [JsonPropertyName("before")] public string? Before { get; set; }
    [JsonPropertyName("after")] public string? After { get; set; }
}

public sealed record Conversation : IJsonOnDeserialized
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    [JsonPropertyName("updated_time"), JsonConverter(typeof(GraphTimestampConverter))] public DateTimeOffset? UpdatedTime { get; set; }
    [JsonPropertyName("message_count")] public int? MessageCount { get; set; }
    [JsonPropertyName("unread_count")] public int? UnreadCount { get; set; }
    [JsonPropertyName("snippet")] public string? Snippet { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("link")] public string? Link { get; set; }
    [JsonPropertyName("folder")] public string? Folder { get; set; }
    [JsonPropertyName("can_reply")] public bool? CanReply { get; set; }
    [JsonPropertyName("participants")] public GraphList<Participant>? Participants { get; set; }
    [JsonPropertyName("senders")] public GraphList<Participant>? Senders { get; set; }
    [JsonPropertyName("former_participants")] public GraphList<Participant>? FormerParticipants { get; set; }
    [JsonPropertyName("messages")] public GraphList<Message>? Messages { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => RequiredId.Check(Id, "conversation");
}

public sealed record Message : IJsonOnDeserialized
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    [JsonPropertyName("created_time"), JsonConverter(typeof(GraphTimestampConverter))] public DateTimeOffset? CreatedTime { get; set; }
    [JsonPropertyName("from")] public Participant? From { get; set; }
    [JsonPropertyName("to")] public GraphList<Participant>? To { get; set; }
    /// <summary>The text; Graph sends <c>""</c> when there is none.</summary>
    [JsonPropertyName("message")] public string? Text { get; set; }
    [JsonPropertyName("sticker")] public string? Sticker { get; set; }
    [JsonPropertyName("attachments")] public GraphList<Attachment>? Attachments { get; set; }
    [JsonPropertyName("reply_to")] public ReplyTo? ReplyTo { get; set; }
    [JsonPropertyName("tags")] public GraphList<MessageTag>? Tags { get; set; }
    [JsonPropertyName("is_unsupported")] public bool? IsUnsupported { get; set; }
    [JsonPropertyName("shares")] public GraphList<Share>? Shares { get; set; }
    [JsonPropertyName("story")] public MessageStory? Story { get; set; }
    [JsonPropertyName("reactions")] public GraphList<Reaction>? Reactions { get; set; }

    void IJsonOnDeserialized.OnDeserialized() => RequiredId.Check(Id, "message");
}

/// <summary>Something shared in a message. Graph gives only the image or video URL of the shared item as <see cref="Link"/>.</summary>
public sealed record Share
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("link")] public string? Link { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("picture")] public string? Picture { get; set; }
}

/// <summary>Instagram's <c>story</c>: <c>{"reply_to":{"link","id"}}</c> or <c>{"mention":{"link","id"}}</c>.</summary>
public sealed record MessageStory
{
    [JsonPropertyName("reply_to")] public StoryReference? ReplyTo { get; set; }
    [JsonPropertyName("mention")] public StoryReference? Mention { get; set; }
}

public sealed record StoryReference
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>The story's media URL; it expires with the story.</summary>
    [JsonPropertyName("link")] public string? Link { get; set; }
}

/// <summary>A reaction (an emoji, or a name such as <c>love</c>) and the users who reacted with it.</summary>
public sealed record Reaction
{
    [JsonPropertyName("reaction"), JsonRequired] public string Name { get; set; } = "";
    [JsonPropertyName("users")] public IReadOnlyList<Participant> Users { get; set; } = [];
}

public sealed record ReplyTo
{
    [JsonPropertyName("mid"), JsonRequired] public string Mid { get; set; } = "";
    [JsonPropertyName("is_self_reply")] public bool? IsSelfReply { get; set; }
}

public sealed record MessageTag
{
    [JsonPropertyName("name"), JsonRequired] public string Name { get; set; } = "";
}

public sealed record Attachment
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("mime_type")] public string? MimeType { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("size")] public long? Size { get; set; }
    [JsonPropertyName("file_url")] public string? FileUrl { get; set; }
    [JsonPropertyName("image_data")] public ImageData? ImageData { get; set; }
    [JsonPropertyName("video_data")] public VideoData? VideoData { get; set; }
}

public sealed record ImageData
{
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("preview_url")] public string? PreviewUrl { get; set; }
    [JsonPropertyName("width")] public int? Width { get; set; }
    [JsonPropertyName("height")] public int? Height { get; set; }
    [JsonPropertyName("render_as_sticker")] public bool? RenderAsSticker { get; set; }
    /// <summary>An animated image (GIF or WebP) comes in both formats.</summary>
    [JsonPropertyName("animated_gif_url")] public string? AnimatedGifUrl { get; set; }
    [JsonPropertyName("animated_gif_preview_url")] public string? AnimatedGifPreviewUrl { get; set; }
    [JsonPropertyName("animated_webp_url")] public string? AnimatedWebpUrl { get; set; }
    [JsonPropertyName("animated_webp_preview_url")] public string? AnimatedWebpPreviewUrl { get; set; }
}

public sealed record VideoData
{
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("preview_url")] public string? PreviewUrl { get; set; }
    [JsonPropertyName("width")] public int? Width { get; set; }
    [JsonPropertyName("height")] public int? Height { get; set; }
    [JsonPropertyName("length")] public double? Length { get; set; }
    [JsonPropertyName("video_type")] public int? VideoType { get; set; }
    [JsonPropertyName("rotation")] public int? Rotation { get; set; }
}

/// <summary>One item of a batch request: a relative URL such as <c>t_1/messages?limit=10&amp;after=X&amp;fields=id</c>.</summary>
public sealed record BatchRequest(
    [property: JsonPropertyName("relative_url")] string RelativeUrl,
    [property: JsonPropertyName("method")] string Method = "GET",
    [property: JsonIgnore] MetaApi Api = MetaApi.Conversations);

/// <summary>One item of a batch response, in request order. Exactly one of <see cref="Body"/> or <see cref="Error"/> is set
/// (<see cref="Error"/> also for items Graph did not finish, which come back as <c>null</c>).</summary>
public sealed record BatchItemResult(int StatusCode, JsonElement? Body, GraphApiException? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>Usage that Graph reported in <c>X-App-Usage</c> and <c>X-Business-Use-Case-Usage</c>, in percent of the allowance.</summary>
public sealed record GraphUsage(AppUsage? App, IReadOnlyDictionary<string, IReadOnlyList<BusinessUseCaseUsage>> BusinessUseCase)
{
    public static readonly GraphUsage None = new(null, new Dictionary<string, IReadOnlyList<BusinessUseCaseUsage>>());
}

public sealed record AppUsage(int CallCount, int TotalTime, int TotalCpuTime);

/// <summary>One entry of <c>X-Business-Use-Case-Usage</c>; <see cref="EstimatedTimeToRegainAccess"/> is sent in minutes.</summary>
public sealed record BusinessUseCaseUsage(string Type, int CallCount, int TotalTime, int TotalCpuTime, TimeSpan EstimatedTimeToRegainAccess);

/// <summary>A value with the usage headers of the HTTP response that carried it.</summary>
public sealed record GraphResponse<T>(T Value, GraphUsage Usage);
