using System.Globalization;
using System.Text;
using MetaGraph;
using Microsoft.Extensions.Options;

namespace Gateway.Archive.Privacy;

/// <summary>
/// Meta's data deletion callback: <c>POST /meta/data-deletion</c> with the form field <c>signed_request</c> (checked with
/// <c>Meta:AppSecret</c>) deletes the person's messages from the archive and answers Meta's
/// <c>{"url":…,"confirmation_code":…}</c>; <c>GET /meta/data-deletion/{code}</c> is the status page the url points at.
/// Mapped only when the gateway keeps an archive.
/// </summary>
public static class DataDeletionEndpoints
{
    public const string Path = "/meta/data-deletion";

    public static IEndpointRouteBuilder MapMetaDataDeletion(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<DataDeletions>() is null)
        {
            return endpoints;
        }
        endpoints.MapPost(Path, RequestAsync);
        endpoints.MapGet(Path + "/{code}", StatusAsync);
        return endpoints;
    }

    private static async Task<IResult> RequestAsync(HttpRequest request, DataDeletions deletions, IOptions<MetaGraphOptions> meta)
    {
        if (!request.HasFormContentType)
        {
            return Results.Text("Send the form field signed_request (application/x-www-form-urlencoded), as Meta does.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return Results.Text("The body is not a readable form.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (form["signed_request"].ToString() is not { Length: > 0 } signedRequest)
        {
            return Results.Text("The form field signed_request is missing.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (SignedRequest.UserIdOf(signedRequest, meta.Value.AppSecret ?? "") is not { } userId)
        {
            return Results.Text("signed_request is not signed with this app's secret (Meta:AppSecret), or names no user.", statusCode: StatusCodes.Status403Forbidden);
        }
        DataDeletionStatus status;
        try
        {
            status = await deletions.RequestAsync(userId, request.HttpContext.RequestAborted);
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            return DatabaseAway();
        }
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{Path}/{status.ConfirmationCode}";
        return Results.Json(new DataDeletionAnswer(url, status.ConfirmationCode));
    }

    /// <summary>The human-readable status Meta links the person to. The person's id is not shown.</summary>
    private static async Task<IResult> StatusAsync(string code, MessageArchive archive, CancellationToken cancellationToken)
    {
        DataDeletionStatus? status;
        try
        {
            status = code.Length == 32 && code.All(char.IsAsciiHexDigitLower) ? await archive.GetDataDeletionAsync(code, cancellationToken) : null;
        }
        catch (Exception error) when (ArchiveDatabase.IsUnavailable(error))
        {
            return DatabaseAway();
        }
        if (status is null)
        {
            return Results.Text("No data deletion request has this confirmation code.", statusCode: StatusCodes.Status404NotFound);
        }
        var page = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Data deletion request {status.ConfirmationCode}")
            .AppendLine(CultureInfo.InvariantCulture, $"Received: {status.RequestedAt:u}")
            .AppendLine(status.CompletedAt is { } completed
                ? string.Create(CultureInfo.InvariantCulture, $"Completed: {completed:u}. Messages deleted: {status.MessagesDeleted}; conversations left: {status.ParticipantsRemoved}.")
                : "In progress: the messages are deleted when the archive's database next answers.");
        return Results.Text(page.ToString(), "text/plain", Encoding.UTF8);
    }

    private static IResult DatabaseAway()
        => Results.Text("The message archive's database does not answer; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private sealed record DataDeletionAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("url")] string Url,
        [property: System.Text.Json.Serialization.JsonPropertyName("confirmation_code")] string ConfirmationCode);
}
