using Gateway.Archive;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Messages;
using Gateway.Paging;
using Gateway.Projection;
using GraphQL;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Search;

/// <summary>A search hit: the archived message, where the search stands after it, and the matching part of its text.</summary>
public sealed record MessageSearchEdge(MessageNode Node, string Cursor, MessageSearchHit Hit, GraphLoaders Loaders);

/// <summary>One page of a search's hits.</summary>
public sealed record MessageSearchResults(IReadOnlyList<MessageSearchEdge> Edges, PageInfo PageInfo);

public sealed class SearchMessagesConnectionType : ObjectGraphType<MessageSearchResults>
{
    public SearchMessagesConnectionType()
    {
        Name = "SearchMessagesConnection";
        Description = "A connection to a list of messages that matched a search, most relevant first, then newest.";
        this.AddConnectionFields<MessageSearchResults, MessageType, SearchMessagesEdgeType>(
            c => c.PageInfo, c => c.Edges, c => c.Edges.Select(edge => edge.Node));
    }
}

public sealed class SearchMessagesEdgeType : ObjectGraphType<MessageSearchEdge>
{
    /// <summary>What a conversation is known by without reading it.</summary>
    private static readonly HashSet<string> IdentityFields = ["__typename", "id", "metaId", "platform"];

    public SearchMessagesEdgeType()
    {
        Name = "SearchMessagesEdge";
        Description = "An edge in a connection of messages that matched a search.";
        this.AddEdgeFields<MessageSearchEdge, MessageType>(c => c.Cursor, c => c.Node);
        Field<NonNullGraphType<StringGraphType>>("snippet")
            .Description("The matching part of the message's text, each matched word between « and » (U+00AB, U+00BB), e.g. `about my «refund»`; `…` marks where the text was cut. Plain text: escape it before putting it in HTML.")
            .Resolve(c => c.Source.Hit.Snippet);
        Field<ConversationType>("conversation")
            .Description("The conversation the message belongs to. Its `id`, `metaId` and `platform` come from the archive; any other field is read from the Graph API as `conversation(id:)` reads it (null when Graph cannot).")
            .Resolve(ResolveConversation);
    }

    private static object? ResolveConversation(IResolveFieldContext<MessageSearchEdge> context)
    {
        var (hit, loaders) = (context.Source.Hit, context.Source.Loaders);
        var identityOnly = SelectionSets.FieldsOn(context, context.FieldAst.SelectionSet, "Conversation")
            .All(field => IdentityFields.Contains(field.Name.StringValue));
        return identityOnly
            ? new ConversationNode(new Conversation { Id = hit.ConversationId }, hit.Platform, loaders)
            : ConversationQueries.Load(context, loaders, hit.ConversationId);
    }
}
