using System.Text.Json;
using System.Text.Json.Serialization;
using MetaGraph.Json;

namespace MetaGraph;

/// <summary>The two inboxes the conversations endpoints serve.</summary>
public enum Platform { Messenger, Instagram }

/// <summary>A person or Page in <c>from</c>, <c>to</c> or <c>participants</c>.
/// Messenger sends <c>name</c> and a synthetic <c>email</c>; Instagram sends <c>username</c>.</summary>
public sealed record Participant
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("username")] public string? Username { get; init; }
}

/// <summary>A nested list that Graph wraps as <c>{"data":[...]}</c>, optionally with paging.</summary>
public sealed record GraphList<T>
{
    [JsonPropertyName("data")] public IReadOnlyList<T> Data { get; init; } = [];
    [JsonPropertyName("paging")] public GraphPaging? Paging { get; init; }
}

/// <summary>Graph's cursor paging block. <see cref="Next"/> and <see cref="Previous"/> never carry the access token.</summary>
public sealed record GraphPaging
{
    [JsonPropertyName("cursors")] public GraphCursors? Cursors { get; init; }
    [JsonPropertyName("next"), JsonConverter(typeof(PagingUrlConverter))] public string? Next { get; init; }
    [JsonPropertyName("previous"), JsonConverter(typeof(PagingUrlConverter))] public string? Previous { get; init; }

    [JsonIgnore] public bool HasNext => Next is not null;
    [JsonIgnore] public bool HasPrevious => Previous is not null;
}

public sealed record GraphCursors
{
    [JsonPropertyName("before")] public string? Before { get; init; }
    [JsonPropertyName("after")] public string? After { get; init; }
}

public sealed record Conversation
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("updated_time"), JsonConverter(typeof(GraphTimestampConverter))] public DateTimeOffset? UpdatedTime { get; init; }
    [JsonPropertyName("message_count")] public int? MessageCount { get; init; }
    [JsonPropertyName("unread_count")] public int? UnreadCount { get; init; }
    [JsonPropertyName("snippet")] public string? Snippet { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("link")] public string? Link { get; init; }
    [JsonPropertyName("folder")] public string? Folder { get; init; }
    [JsonPropertyName("can_reply")] public bool? CanReply { get; init; }
    [JsonPropertyName("participants")] public GraphList<Participant>? Participants { get; init; }
    [JsonPropertyName("senders")] public GraphList<Participant>? Senders { get; init; }
    [JsonPropertyName("messages")] public GraphPage<Message>? Messages { get; init; }
}

public sealed record Message
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("created_time"), JsonConverter(typeof(GraphTimestampConverter))] public DateTimeOffset? CreatedTime { get; init; }
    [JsonPropertyName("from")] public Participant? From { get; init; }
    [JsonPropertyName("to")] public GraphList<Participant>? To { get; init; }
    /// <summary>The text; Graph sends <c>""</c> when there is none.</summary>
    [JsonPropertyName("message")] public string? Text { get; init; }
    [JsonPropertyName("sticker")] public string? Sticker { get; init; }
    [JsonPropertyName("attachments")] public GraphList<Attachment>? Attachments { get; init; }
    [JsonPropertyName("reply_to")] public ReplyTo? ReplyTo { get; init; }
    [JsonPropertyName("tags")] public GraphList<MessageTag>? Tags { get; init; }
    [JsonPropertyName("is_unsupported")] public bool? IsUnsupported { get; init; }
}

public sealed record ReplyTo
{
    [JsonPropertyName("mid")] public required string Mid { get; init; }
    [JsonPropertyName("is_self_reply")] public bool? IsSelfReply { get; init; }
}

public sealed record MessageTag
{
    [JsonPropertyName("name")] public required string Name { get; init; }
}

public sealed record Attachment
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("mime_type")] public string? MimeType { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("size")] public long? Size { get; init; }
    [JsonPropertyName("file_url")] public string? FileUrl { get; init; }
    [JsonPropertyName("image_data")] public ImageData? ImageData { get; init; }
    [JsonPropertyName("video_data")] public VideoData? VideoData { get; init; }
}

public sealed record ImageData
{
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("preview_url")] public string? PreviewUrl { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
}

public sealed record VideoData
{
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("preview_url")] public string? PreviewUrl { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    [JsonPropertyName("length")] public double? Length { get; init; }
}

/// <summary>A page of an edge (<c>/{page}/conversations</c>, <c>/{conversation}/messages</c>).</summary>
public sealed record GraphPage<T>
{
    [JsonPropertyName("data")] public IReadOnlyList<T> Data { get; init; } = [];
    [JsonPropertyName("paging")] public GraphPaging? Paging { get; init; }
}

/// <summary>One item of a batch request: a relative URL such as <c>t_1/messages?limit=10&amp;after=X&amp;fields=id</c>.</summary>
public sealed record BatchRequest(
    [property: JsonPropertyName("relative_url")] string RelativeUrl,
    [property: JsonPropertyName("method")] string Method = "GET");

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
