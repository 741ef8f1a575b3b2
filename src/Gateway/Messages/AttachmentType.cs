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

        Field<IdGraphType>("id").Description("Meta's attachment id.").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<AttachmentKindType>>("type").Description("Image, video, audio or file, from the MIME type.")
            .Resolve(c => KindOf(c.Source));
        Field<StringGraphType>("url").Description("Where to download the file: the image or video URL, else the file URL. Meta's URLs expire.")
            .Resolve(c => c.Source.ImageData?.Url ?? c.Source.VideoData?.Url ?? c.Source.FileUrl);
        Field<StringGraphType>("previewUrl").Description("A smaller preview of an image or video.")
            .Resolve(c => c.Source.ImageData?.PreviewUrl ?? c.Source.VideoData?.PreviewUrl);
        Field<StringGraphType>("mimeType").Description("The MIME type, e.g. `image/jpeg`.").Resolve(c => c.Source.MimeType);
        Field<StringGraphType>("name").Description("The file name.").Resolve(c => c.Source.Name);
        Field<IntGraphType>("size").Description("The size in bytes.").Resolve(c => (int?)c.Source.Size);
        Field<IntGraphType>("width").Description("Image or video width in pixels.")
            .Resolve(c => c.Source.ImageData?.Width ?? c.Source.VideoData?.Width);
        Field<IntGraphType>("height").Description("Image or video height in pixels.")
            .Resolve(c => c.Source.ImageData?.Height ?? c.Source.VideoData?.Height);
        Field<FloatGraphType>("duration").Description("Video length in seconds.").Resolve(c => c.Source.VideoData?.Length);
    }

    private static AttachmentKind KindOf(Attachment attachment) => attachment switch
    {
        { ImageData: not null } => AttachmentKind.Image,
        { VideoData: not null } => AttachmentKind.Video,
        { MimeType: { } mime } when mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Image,
        { MimeType: { } mime } when mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Video,
        { MimeType: { } mime } when mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => AttachmentKind.Audio,
        _ => AttachmentKind.File,
    };
}
