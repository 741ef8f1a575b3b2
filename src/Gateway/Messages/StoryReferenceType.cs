using System.ComponentModel;
using Gateway.Projection;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

public enum StoryReferenceKind
{
    [Description("The person mentioned the account in their story.")] Mention,
    [Description("The person replied to the account's story.")] Reply,
}

public sealed class StoryReferenceKindType : EnumerationGraphType<StoryReferenceKind>
{
    public StoryReferenceKindType()
    {
        Name = "StoryReferenceKind";
        Description = "How a message refers to an Instagram story.";
    }
}

/// <summary>Instagram's <c>story</c> is <c>{"reply_to":{"link","id"}}</c> or <c>{"mention":{"link","id"}}</c>.</summary>
public sealed class StoryReferenceType : ObjectGraphType<MessageStory>
{
    public StoryReferenceType()
    {
        Name = "StoryReference";
        Description = "An Instagram story that a message replies to or mentions.";

        Field<NonNullGraphType<StoryReferenceKindType>>("kind").Description("A mention or a reply.")
            .ReadsGraph("mention", "reply_to").Resolve(c => c.Source.Mention is not null ? StoryReferenceKind.Mention : StoryReferenceKind.Reply);
        Field<IdGraphType>("id").Description("Meta's id of the story.").ReadsGraph("mention", "reply_to").Resolve(c => Reference(c.Source)?.Id);
        Field<StringGraphType>("link").Description("The story's media URL; it stops working when the story expires.")
            .ReadsGraph("mention", "reply_to").Resolve(c => Reference(c.Source)?.Link);
    }

    private static StoryReference? Reference(MessageStory story) => story.Mention ?? story.ReplyTo;
}
