using Gateway.Projection;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

public sealed class ShareType : ObjectGraphType<Share>
{
    public ShareType()
    {
        Name = "Share";
        Description = "Something shared in a message. Graph API gives only the image or video URL of the shared item, with its title and description.";

        Field<IdGraphType>("id").Description("Meta's id of the share.").ReadsGraph("id").Resolve(c => c.Source.Id);
        Field<StringGraphType>("link").Description("The image or video URL of the shared item. Meta's URLs expire.").ReadsGraph("link").Resolve(c => c.Source.Link);
        Field<StringGraphType>("name").Description("The shared item's title.").ReadsGraph("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("description").Description("The shared item's description.").ReadsGraph("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("picture").Description("A thumbnail, when Meta sends one.").ReadsGraph("picture").Resolve(c => c.Source.Picture);
    }
}
