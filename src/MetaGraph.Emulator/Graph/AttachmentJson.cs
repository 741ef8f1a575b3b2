using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>A message attachment: <c>image_data</c>, <c>video_data</c> or <c>file_url</c> by its kind; the others are omitted.</summary>
internal static class AttachmentJson
{
    private static readonly IReadOnlyList<FieldSelection> Default =
        FieldSelection.Of("id", "mime_type", "name", "size", "image_data", "video_data", "file_url");

    private static readonly IReadOnlyList<FieldSelection> DefaultImageData =
        FieldSelection.Of("width", "height", "max_width", "max_height", "url", "preview_url", "image_type", "render_as_sticker");

    private static readonly IReadOnlyList<FieldSelection> DefaultVideoData = FieldSelection.Of("width", "height", "length", "url", "preview_url");

    public static void WriteList(Utf8JsonWriter writer, IReadOnlyList<AttachmentData> attachments, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject("attachments");
        writer.WriteStartArray("data");
        foreach (var attachment in attachments)
        {
            Write(writer, attachment, fields ?? Default);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
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
                case "file_url" when attachment.Kind == AttachmentKind.File: writer.WriteString("file_url", attachment.Url); break;
                case "image_data" when attachment.Kind == AttachmentKind.Image:
                    writer.WriteStartObject("image_data");
                    WriteMedia(writer, attachment, field.Children ?? DefaultImageData);
                    writer.WriteEndObject();
                    break;
                case "video_data" when attachment.Kind == AttachmentKind.Video:
                    writer.WriteStartObject("video_data");
                    WriteMedia(writer, attachment, field.Children ?? DefaultVideoData);
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

    private static void WriteMedia(Utf8JsonWriter writer, AttachmentData attachment, IReadOnlyList<FieldSelection> fields)
    {
        foreach (var field in fields)
        {
            switch (field.Name)
            {
                case "url": writer.WriteString("url", attachment.Url); break;
                case "preview_url": writer.WriteStringUnlessNull("preview_url", attachment.PreviewUrl); break;
                case "width" or "max_width": writer.WriteNumber(field.Name, attachment.Width); break;
                case "height" or "max_height": writer.WriteNumber(field.Name, attachment.Height); break;
                case "length" when attachment.LengthSeconds is { } length: writer.WriteNumber("length", length); break;
                case "image_type": writer.WriteNumber("image_type", 1); break;
                case "render_as_sticker": writer.WriteBoolean("render_as_sticker", false); break;
            }
        }
    }
}
