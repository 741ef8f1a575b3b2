using Gateway.DataLoading;
using Gateway.Participants;
using Gateway.Projection;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Messages;

/// <summary>A reaction with the loaders its users' profiles are read through.</summary>
public sealed record ReactionNode(Reaction Data, GraphLoaders Loaders);

public sealed class ReactionType : ObjectGraphType<ReactionNode>
{
    public ReactionType()
    {
        Name = "Reaction";
        Description = "A reaction to a message and the people who reacted with it.";

        Field<NonNullGraphType<StringGraphType>>("reaction").Description("The emoji, or Meta's name for it (e.g. `love`).")
            .ReadsGraph("reaction").Resolve(c => c.Source.Data.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParticipantType>>>>("users").Description("Who reacted.")
            .ReadsGraph("users").Resolve(c => ParticipantNode.From(c.Source.Data.Users, c.Source.Loaders));
    }
}
