using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;
using MetaGraph.Emulator.Paging;

namespace MetaGraph.Emulator.Graph;

/// <summary>A message attachment: <c>image_data</c> for images and a video's thumbnail, <c>video_data</c> for videos,
/// <c>file_url</c> for files and audio; fields without data are omitted.</summary>
internal static class AttachmentJson
{
    private static readonly IReadOnlyList<FieldSelection> Default =
        FieldSelection.Of("id", "mime_type", "name", "size", "image_data", "video_data", "file_url");

    private static readonly IReadOnlyList<FieldSelection> DefaultImageData = FieldSelection.Of("width", "height", "max_width", "max_height",
        "url", "preview_url", "image_type", "animated_gif_url", "animated_gif_preview_url", "animated_webp_url", "animated_webp_preview_url",
        "render_as_sticker");

    private static readonly IReadOnlyList<FieldSelection> DefaultVideoData =
        FieldSelection.Of("width", "height", "length", "video_type", "url", "preview_url", "rotation");

    /// <summary><c>"attachments":{"data":[...],"paging":{...}}</c>, one page of attachments, as many as the field's <c>.limit(n)</c> asks.</summary>
    public static void WriteList(Utf8JsonWriter writer, MessageData message, FieldSelection field, GraphRequest request)
    {
        writer.WriteStartObject("attachments");
        WritePage(writer, message, field.Children, field.Limit ?? PageWindow.DefaultLimit, field.After, field.Before,
            new EdgeLink(request, message.Id, "attachments", Nested: true, field.Children));
        writer.WriteEndObject();
    }

    /// <summary><c>/{message}/attachments</c>, the edge that a nested page's <c>next</c> link points at.</summary>
    public static void Read(Utf8JsonWriter writer, MessageData message, GraphRequest request)
    {
        var fields = FieldSelection.Parse(request["fields"]);
        if (fields is not null)
        {
            NodeType.Attachment.Validate(fields);
        }
        writer.WriteStartObject();
        WritePage(writer, message, fields, PageWindow.ParseLimit(request["limit"], request.Options.MaxMessagesLimit), request["after"],
            request["before"], new EdgeLink(request, message.Id, "attachments", Nested: false));
        writer.WriteEndObject();
    }

    private static void WritePage(Utf8JsonWriter writer, MessageData message, IReadOnlyList<FieldSelection>? fields, int limit,
        string? after, string? before, EdgeLink link)
    {
        var window = PageWindow.Select(Cursor.ListKey("attachments", message.Id), message.Attachments.Count, limit, after, before);
        writer.WriteStartArray("data");
        for (var i = window.Start; i < window.End; i++)
        {
            Write(writer, message.Attachments[i], fields ?? Default);
        }
        writer.WriteEndArray();
        PagingBlock.Write(writer, window, link);
    }

    private static void Write(Utf8JsonWriter writer, AttachmentData attachment, IReadOnlyList<FieldSelection> fields)
    {
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "id": writer.WriteString("id", attachment.Id); wroteId = true; break;
                case "mime_type": writer.WriteString("mime_type", attachment.MimeType); break;
                case "name": writer.WriteString("name", attachment.Name); break;
                case "size": writer.WriteNumber("size", attachment.Size); break;
                case "file_url" when attachment.Kind is AttachmentKind.File or AttachmentKind.Audio: writer.WriteString("file_url", attachment.Url); break;
                case "image_data" when attachment.Kind is AttachmentKind.Image or AttachmentKind.Video:
                    writer.WriteStartObject("image_data");
                    WriteImage(writer, attachment, field.Children ?? DefaultImageData);
                    writer.WriteEndObject();
                    break;
                case "video_data" when attachment.Kind == AttachmentKind.Video:
                    writer.WriteStartObject("video_data");
                    WriteVideo(writer, attachment, field.Children ?? DefaultVideoData);
                    writer.WriteEndObject();
                    break;
            }
        }
        if (!wroteId)
        {
            writer.WriteString("id", attachment.Id);
        }
        writer.WriteEndObject();
    }

    /// <summary>An image, or a video's thumbnail (its preview image). Animated images add their GIF and WebP renditions.</summary>
    private static void WriteImage(Utf8JsonWriter writer, AttachmentData attachment, IReadOnlyList<FieldSelection> fields)
    {
        var url = attachment.Kind == AttachmentKind.Video ? attachment.PreviewUrl! : attachment.Url;
        var webp = Path.ChangeExtension(url, ".webp");
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "url": writer.WriteString("url", url); break;
                case "preview_url": writer.WriteStringUnlessNull("preview_url", attachment.PreviewUrl); break;
                case "width" or "max_width": writer.WriteNumber(field.Name, attachment.Width); break;
                case "height" or "max_height": writer.WriteNumber(field.Name, attachment.Height); break;
                case "image_type": writer.WriteNumber("image_type", 1); break;
                case "render_as_sticker": writer.WriteBoolean("render_as_sticker", attachment.RenderAsSticker); break;
                case "animated_gif_url" when attachment.Animated: writer.WriteString(field.Name, attachment.Url); break;
                case "animated_gif_preview_url" when attachment.Animated: writer.WriteStringUnlessNull(field.Name, attachment.PreviewUrl); break;
                case "animated_webp_url" when attachment.Animated: writer.WriteString(field.Name, webp); break;
                case "animated_webp_preview_url" when attachment is { Animated: true, PreviewUrl: { } preview }:
                    writer.WriteString(field.Name, Path.ChangeExtension(preview, ".webp"));
                    break;
                // The untouched renditions, only when asked (our choice: the same files as animated_*_url; Meta's reference
                // names the fields without saying how they differ).
                case "raw_gif_image" when attachment.Animated: writer.WriteString(field.Name, attachment.Url); break;
                case "raw_webp_image" when attachment.Animated: writer.WriteString(field.Name, webp); break;
            }
        }
    }

    private static void WriteVideo(Utf8JsonWriter writer, AttachmentData attachment, IReadOnlyList<FieldSelection> fields)
    {
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "url": writer.WriteString("url", attachment.Url); break;
                case "preview_url": writer.WriteStringUnlessNull("preview_url", attachment.PreviewUrl); break;
                case "width": writer.WriteNumber("width", attachment.Width); break;
                case "height": writer.WriteNumber("height", attachment.Height); break;
                case "length" when attachment.LengthSeconds is { } length: writer.WriteNumber("length", length); break;
                case "video_type": writer.WriteNumber("video_type", (int)attachment.VideoType); break;
                case "rotation": writer.WriteNumber("rotation", 0); break;
            }
        }
    }
}
