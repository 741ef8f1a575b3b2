using Gateway.DataLoading;
using Gateway.Schema;
using GraphQL.Federation;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Participants;

public sealed class ParticipantType : ObjectGraphType<Participant>
{
    public ParticipantType()
    {
        Name = "Participant";
        Description = "A person or Page taking part in a conversation: a Messenger user (page-scoped id, name, email) or an Instagram user (Instagram-scoped id, username).";
        this.Key("id");

        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>))
            .Description("Meta's id: a page-scoped id (PSID) on Messenger, an Instagram-scoped id (IGSID) on Instagram, or the Page's own id.");
        Field(p => p.Name, nullable: true).Description("The display name (Messenger only).");
        Field(p => p.Email, nullable: true).Description("Meta's synthetic address `<id>@facebook.com` (Messenger only); not a real mailbox.");
        Field(p => p.Username, nullable: true).Description("The Instagram username (Instagram only).");

        // Graph API has no participant lookup on these endpoints: a reference resolves to what its key says.
        this.ResolveReference<ParticipantReference, Participant>((_, reference) => DataLoaderResults.FromValue<Participant?>(new Participant { Id = NodeIds.Validate(reference.Id, "representations.id") }));
    }
}

/// <summary>The <c>{ id }</c> representation Apollo Federation sends for a participant.</summary>
public sealed class ParticipantReference
{
    public string Id { get; set; } = "";
}
