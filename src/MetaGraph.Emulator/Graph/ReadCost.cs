namespace MetaGraph.Emulator.Graph;

/// <summary>How many calls a read costs each allowance Meta prices reads under: the Conversations API, and the rest of the
/// Messenger API (user profiles).</summary>
internal readonly record struct ReadCost(int Conversations, int Profiles)
{
    public static readonly ReadCost None = new(0, 0);
    public static readonly ReadCost Conversation = new(1, 0);
    public static readonly ReadCost Profile = new(0, 1);

    public static ReadCost operator +(ReadCost a, ReadCost b) => new(a.Conversations + b.Conversations, a.Profiles + b.Profiles);
}
