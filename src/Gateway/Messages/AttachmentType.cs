using Gateway.Projection;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

public enum AttachmentKind { Image, Video, Audio, File }

public sealed class AttachmentKindType : EnumerationGraphType<AttachmentKind>
{
    public AttachmentKindType()
    {
        Name = "AttachmentType";
        Description = "What an attachment holds, from its MIME type.";
    }
}

public sealed class AttachmentType : ObjectGraphType<Attachment>
{
    public AttachmentType()
    {
        Name = "Attachment";
        Description = "A file sent with a message: an image, a video, audio or another file.";

        Field<IdGraphType>("id").Description("Meta's attachment id.").ReadsGraph("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<AttachmentKindType>>("type").Description("Image, video, audio or file, from the MIME type.")
            .ReadsGraph("mime_type", "image_data", "video_data").Resolve(c => KindOf(c.Source));
        Field<StringGraphType>("url").Description("Where to download the file: the video or image URL, else the file URL. Meta's URLs expire.")
            .ReadsGraph("file_url", "image_data", "video_data").Resolve(c => c.Source.VideoData?.Url ?? c.Source.ImageData?.Url ?? c.Source.FileUrl);
        Field<StringGraphType>("previewUrl").Description("A smaller preview of an image or video.")
            .ReadsGraph("image_data", "video_data").Resolve(c => c.Source.VideoData?.PreviewUrl ?? c.Source.ImageData?.PreviewUrl);
        Field<StringGraphType>("mimeType").Description("The MIME type, e.g. `image/jpeg`.").ReadsGraph("mime_type").Resolve(c => c.Source.MimeType);
        Field<StringGraphType>("name").Description("The file name.").ReadsGraph("name").Resolve(c => c.Source.Name);
        Field<IntGraphType>("size").Description("The size in bytes.").ReadsGraph("size").Resolve(c => (int?)c.Source.Size);
        Field<IntGraphType>("width").Description("Image or video width in pixels.")
            .ReadsGraph("image_data", "video_data").Resolve(c => c.Source.VideoData?.Width ?? c.Source.ImageData?.Width);
        Field<IntGraphType>("height").Description("Image or video height in pixels.")
            .ReadsGraph("image_data", "video_data").Resolve(c => c.Source.VideoData?.Height ?? c.Source.ImageData?.Height);
        Field<FloatGraphType>("duration").Description("Video length in seconds.").ReadsGraph("video_data").Resolve(c => c.Source.VideoData?.Length);
        Field<StringGraphType>("animatedUrl").Description("An animated image's (GIF or sticker) animated WebP, else GIF, URL.")
            .ReadsGraph("image_data").Resolve(c => c.Source.ImageData?.AnimatedWebpUrl ?? c.Source.ImageData?.AnimatedGifUrl);
        Field<BooleanGraphType>("renderAsSticker").Description("Whether Messenger shows the image as a sticker rather than a photo.")
            .ReadsGraph("image_data").Resolve(c => c.Source.ImageData?.RenderAsSticker);
    }

    private static AttachmentKind KindOf(Attachment attachment) => attachment switch
    {
        // A video also carries image_data: its thumbnail.
        { VideoData: not null } => AttachmentKind.Video,
        { ImageData: not null } => AttachmentKind.Image,
        { MimeType: { } mime } when mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Image,
        { MimeType: { } mime } when mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Video,
        { MimeType: { } mime } when mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Audio,
        _ => AttachmentKind.File,
    };
}
