using Gateway.DataLoading;
using Gateway.Projection;
using Gateway.Api;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Participants;

/// <summary>A participant as the schema sees it.</summary>
/// <param name="Listed">Whether <see cref="Data"/> is what Graph lists for the participant (in <c>from</c>, <c>to</c>,
/// <c>participants</c>); a federation reference knows only the id, and reads the rest from Meta's user profile.</param>
public sealed record ParticipantNode(Participant Data, GraphLoaders Loaders, bool Listed)
{
    public static ParticipantNode? From(Participant? data, GraphLoaders loaders) => data is null ? null : new(data, loaders, Listed: true);

    public static IEnumerable<ParticipantNode>? From(IEnumerable<Participant>? data, GraphLoaders loaders)
        => data?.Select(participant => new ParticipantNode(participant, loaders, Listed: true));

    /// <summary>A participant known by its id alone (a federation reference, <c>node(id:)</c>): the rest is its profile.</summary>
    public static ParticipantNode Reference(string metaId, GraphLoaders loaders) => new(new Participant { Id = metaId }, loaders, Listed: false);
}

public sealed class ParticipantType : ObjectGraphType<ParticipantNode>
{
    public ParticipantType()
    {
        Name = "Participant";
        Description = "A person or Page taking part in a conversation: a Messenger user (page-scoped id, name, email) or an Instagram user (Instagram-scoped id, username).";
        this.ImplementsNode(participant => participant.Data.Id,
            "Meta's id: a page-scoped id (PSID) on Messenger, an Instagram-scoped id (IGSID) on Instagram, or the Page's own id.");
        this.Key("id");
        this.Key("metaId");
        Field<StringGraphType>("name").Description("The display name.")
            .ReadsProfile(["name"], "name").Resolve(c => Listed(c, p => p.Name));
        Field<StringGraphType>("email").Description("Meta's synthetic address `<id>@facebook.com` (Messenger only); not a real mailbox.")
            .ReadsProfile(["name", "username"], "email")
            // A profile with a name and no username is a Messenger user's, whose listed address is always the synthetic one.
            .Resolve(c => c.Source.Listed ? c.Source.Data.Email : Profile(c, p => p is { Name: not null, Username: null } ? $"{p.Id}@facebook.com" : null));
        Field<StringGraphType>("username").Description("The Instagram username (Instagram only).")
            .ReadsProfile(["username"], "username").Resolve(c => Listed(c, p => p.Username));
        Field<StringGraphType>("profilePic")
            .Description("The URL of the profile picture, from Meta's user profile read (batched; Meta's URLs expire). Null for a Page.")
            .ReadsProfile(["profile_pic"]).Resolve(c => Profile(c, p => p?.ProfilePic));

        this.ResolveReference<NodeReference, ParticipantNode>((context, reference) => DataLoaderResults.FromValue<ParticipantNode?>(
            ParticipantNode.Reference(reference.MetaIdOf(Name), context.RequestServices!.GetRequiredService<RequestLoaders>().ForNode())));
    }

    /// <summary>What the listing said, or for a reference, the profile read.</summary>
    private static object? Listed(IResolveFieldContext<ParticipantNode> context, Func<Participant, string?> select)
        => context.Source.Listed ? select(context.Source.Data) : ProfileOfReference(context, select);

    // Apart from Listed: the closure over select would otherwise be allocated for every listed participant too.
    private static object? ProfileOfReference(IResolveFieldContext<ParticipantNode> context, Func<Participant, string?> select)
        => Profile(context, profile => profile is null ? null : select(profile));

    /// <summary>Meta's user profile, read for every participant of the current level in one <c>?ids=</c> call.</summary>
    private static object? Profile(IResolveFieldContext<ParticipantNode> context, Func<Participant?, string?> select)
    {
        var fields = Catalog.ProfileFieldsOf(context.FieldDefinition.Name);
        return context.Source.Loaders.Get<ProfileLoader>().Load(new ProfileKey(context.Source.Data.Id, fields)).Then(select);
    }

    private static GraphFieldCatalog Catalog => GraphFieldCatalog.For<ParticipantType>();
}
