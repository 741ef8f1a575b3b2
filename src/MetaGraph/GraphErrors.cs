using MetaGraph.Json;

namespace MetaGraph;

/// <summary>Every <see cref="GraphApiException"/> the client raises is made here, so each failure has one shape
/// and no message can carry a credential.</summary>
internal static class GraphErrors
{
    /// <summary>Graph's "service unavailable" code, used for failures that never produced a Graph error body.</summary>
    private const int ServiceError = 2;
    private const int UnknownError = 1;
    private const int Unavailable = 503;

    public static GraphApiException FromBody(int httpStatus, GraphErrorBody error, GraphCredentials credentials, GraphUsage usage)
        => new(httpStatus, error.Code ?? UnknownError, error.Subcode, error.Type,
            credentials.Redact(error.Message ?? $"The Graph API answered HTTP {httpStatus}."), error.FbTraceId,
            error.IsTransient ?? false,
            error.UserTitle is null ? null : credentials.Redact(error.UserTitle),
            error.UserMessage is null ? null : credentials.Redact(error.UserMessage))
        {
            Usage = usage,
        };

    /// <summary>A failed response without a Graph error body (a proxy's HTML page, an empty 502).</summary>
    public static GraphApiException WithoutErrorBody(int httpStatus, GraphUsage usage)
        => new(httpStatus, httpStatus >= 500 ? ServiceError : UnknownError, null, null,
            $"The Graph API answered HTTP {httpStatus} without a Graph error body.", null, isTransient: httpStatus >= 500)
        {
            Usage = usage,
            // 408 and 429 say "later", not "never".
            IsRequestRejected = httpStatus is >= 400 and < 500 and not (408 or 429),
        };

    /// <summary>A successful response whose body does not have the expected shape.</summary>
    public static GraphApiException Unreadable(int httpStatus, string expected, GraphUsage usage)
        => new(httpStatus, UnknownError, null, null, $"The Graph API answered HTTP {httpStatus} with a body that is not a {expected}.",
            null, isTransient: false)
        {
            Usage = usage,
        };

    /// <summary>The call never got a whole answer. Nothing of the original exception is kept: .NET's messages
    /// can contain the request URL, and with it the access token.</summary>
    public static GraphApiException Transport(Exception failure) => new(Unavailable, ServiceError, null, null, failure switch
    {
        HttpRequestException http => $"The Graph API could not be reached ({http.HttpRequestError}).",
        Polly.CircuitBreaker.BrokenCircuitException => "Calls to the Graph API are paused after repeated failures.",
        IOException => "The connection to the Graph API failed while reading the answer.",
        _ => "The Graph API did not answer in time.",
    }, null, isTransient: true)
    {
        NeverSent = failure is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError,
        },
    };

    /// <summary>A batch item Graph did not finish before its own timeout (it comes back as <c>null</c>).</summary>
    public static GraphApiException UnfinishedBatchItem(GraphUsage usage)
        => new(Unavailable, ServiceError, null, null, "The Graph API did not finish this batch item in time.", null, isTransient: true)
        {
            Usage = usage,
        };
}
