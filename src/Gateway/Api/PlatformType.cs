using GraphQL.Types;
using MetaGraph;

namespace Gateway.Api;

public sealed class PlatformType : EnumerationGraphType<Platform>
{
    public PlatformType()
    {
        Name = "Platform";
        Description = "The inbox a conversation lives in.";
    }
}
