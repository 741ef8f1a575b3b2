using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Graph;

/// <summary>
/// Meta's ID Matching API, as far as a data deletion needs it: <c>GET /{app-scoped-user-id}/ids_for_pages</c> with the app's
/// token (<c>{app-id}|{app-secret}</c>) lists the person's Page-scoped id on each of the app's Pages. The emulator's
/// people have no Facebook Login, so their app-scoped id is made from their Messenger id: <see cref="AppScopedIdOf"/>.
/// </summary>
public static class IdMatching
{
    public const string Edge = "ids_for_pages";

    /// <summary>The app-scoped id the emulator gives a Messenger person: their Page-scoped id with a leading 9.</summary>
    public static string AppScopedIdOf(string pageScopedId) => "9" + pageScopedId[1..];

    public static bool IsIdsForPages(string path) => path.EndsWith("/" + Edge, StringComparison.Ordinal) && path.Count(c => c == '/') == 1;

    /// <summary>Answers the request, or throws Meta's error when the token is not the app's.</summary>
    public static void Write(Utf8JsonWriter writer, InboxData data, string path, string? token, long appId, string? appSecret)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw GraphErrors.MissingToken();
        }
        if (string.IsNullOrEmpty(appSecret) || token != $"{appId}|{appSecret}")
        {
            // Meta answers a Page or user token here the same way: only the app may ask.
            throw GraphErrors.InvalidToken();
        }
        var appScopedId = path[..path.IndexOf('/')];
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var page in data.Pages)
        {
            var person = page.Folder(InboxPlatform.Messenger).Select(conversation => conversation.Customer)
                .FirstOrDefault(customer => AppScopedIdOf(customer.Id) == appScopedId);
            if (person is null)
            {
                continue;
            }
            writer.WriteStartObject();
            writer.WriteString("id", person.Id);
            writer.WriteStartObject("page");
            writer.WriteString("name", page.Name);
            writer.WriteString("id", page.PageId);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
