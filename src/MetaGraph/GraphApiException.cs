namespace MetaGraph;

/// <summary>A Graph API error body (<c>{"error":{...}}</c>), or a transport failure shaped like one.
/// Its message is Meta's message and never contains the access token.</summary>
public sealed class GraphApiException : Exception
{
    public GraphApiException(int httpStatus, int code, int? subcode, string? type, string message, string? fbTraceId,
        bool isTransient, string? userTitle = null, string? userMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        HttpStatus = httpStatus;
        Code = code;
        Subcode = subcode;
        Type = type;
        FbTraceId = fbTraceId;
        IsTransientFlag = isTransient;
        UserTitle = userTitle;
        UserMessage = userMessage;
    }

    public int HttpStatus { get; }
    public int Code { get; }
    public int? Subcode { get; }
    public string? Type { get; }
    public string? FbTraceId { get; }
    /// <summary>Meta's own <c>is_transient</c> flag, as sent.</summary>
    public bool IsTransientFlag { get; }
    public string? UserTitle { get; }
    public string? UserMessage { get; }
    /// <summary>The usage headers of the failed response (rate-limit errors carry <c>estimated_time_to_regain_access</c>).</summary>
    public GraphUsage Usage { get; init; } = GraphUsage.None;

    /// <summary>Set for a 4xx that carries no Graph error body (414 URI Too Long, 413, 431 from Meta's front end):
    /// the request as sent was refused, typically an oversized token; sending it again cannot help.</summary>
    public bool IsRequestRejected { get; init; }

    /// <summary>Set for a transport failure while connecting (name resolution, TCP or TLS): the request never left, so
    /// nothing of it can have taken effect.</summary>
    public bool NeverSent { get; init; }

    /// <summary>Whether a write that failed so may still have been carried out: Meta's 4xx is a refusal, and a request that
    /// never left did nothing; anything else (no answer, a reset connection, a timeout, a 5xx, an answer that could not be
    /// read) leaves the outcome unknown, and sending again could deliver twice.</summary>
    public bool MayHaveTakenEffect => !NeverSent && HttpStatus is < 400 or >= 500;

    public bool IsRateLimit => Code is 4 or 17 or 32 or 613 or 80001 or 80002 or 80006;
    /// <summary>Code 104, "An access token is required to request this resource".</summary>
    public bool IsTokenMissing => Code == 104;
    public bool IsAuth => Code is 190 or 102 || HttpStatus == 401;
    public bool IsPermission => Code is 10 or (>= 200 and <= 299);
    public bool IsNotFound => Code == 100 && Subcode == 33 || Code == 803;
    /// <summary>The 20-message rule: details of an older message are refused as "deleted".
    /// Meta is inconsistent about where 9000001 goes, so code, subcode and text all count.</summary>
    public bool IsDeletedMessage => Code == 9000001 || Subcode == 9000001
        || Message.Contains("has been deleted by the user or the business", StringComparison.OrdinalIgnoreCase);
    /// <summary>The Send API's refusal of a message outside the messaging window: code 10 with subcode 2018278 (Messenger)
    /// or 2534022 (Instagram).</summary>
    public bool IsOutsideMessagingWindow => Code == 10 && Subcode is 2018278 or 2534022;
    /// <summary>Code 551: the person blocked the Page's messages, or (subcode 1545041) cannot be reached.</summary>
    public bool IsRecipientUnavailable => Code == 551;
    /// <summary>Code 100 with subcode 2018001 ("No matching user found") or 2534014 ("No matching Instagram user").</summary>
    public bool IsRecipientUnknown => Code == 100 && Subcode is 2018001 or 2534014;
    /// <summary>Worth retrying: 5xx, Meta's transient flag, or the generic codes 1 and 2.</summary>
    public bool IsTransient => IsTransientFlag || (Code is 1 or 2 && !IsRequestRejected) || HttpStatus >= 500;
}
