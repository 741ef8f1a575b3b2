using Gateway.Api;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Paging;
using Gateway.Search;
using GraphQL;
using GraphQL.Types;
using MetaGraph;

namespace Gateway.Pages;

/// <summary>A Facebook Page; reading it costs no Graph API call.</summary>
public sealed record PageNode(string Id);

public sealed class PageType : ObjectGraphType<PageNode>
{
    public PageType()
    {
        Name = "Page";
        Description = "A Facebook Page and, through it, its Messenger inbox and its linked Instagram professional account's inbox.";

        this.ImplementsNode(page => page.Id, "Meta's Page id.");
        Field<ConversationsConnectionType>("conversations")
            .Description("The Page's conversations on one platform, most recently updated first.")
            .Argument<NonNullGraphType<PlatformType>>("platform", "Messenger or Instagram.")
            .Argument<IdGraphType>("userId", "Only the conversation with this person: a Participant's `id`, or their PSID on Messenger, IGSID on Instagram.")
            .Argument<StringGraphType>("folder", "An inbox folder such as `inbox`, `other`, `pending`, `requests` or `spam` (undocumented by Meta).")
            .WithConnectionArguments()
            .Resolve(ResolveConversations);
        this.AddMessageSearch(page => page.Id);
    }

    private static object ResolveConversations(IResolveFieldContext<PageNode> context)
    {
        var arguments = ConnectionArguments.From(context);
        var platform = context.GetArgument<Platform>("platform");
        var userId = context.GetArgument<string?>("userId") is { } user ? GlobalIds.MetaIdOf(user, GlobalIds.Participant, "userId") : null;
        var folder = context.GetArgument<string?>("folder") is { } name ? Folders.Validate(name) : null;
        var loaders = context.RequestServices!.GetRequiredService<RequestLoaders>().ForPage(context.Source.Id);
        var projection = ConversationProjection.For(context, ConversationProjection.FromConnection(context), loaders.PushDown, alone: false);
        var request = arguments.ToMetaRequest();
        var key = new ConversationListingKey(context.Source.Id, platform, userId, folder, request.Limit, request.After, request.Before, projection);
        return loaders.Get<ConversationListingLoader>().Load(key).Then(page => ConnectionFactory.FromMetaPage(page.Data, page.Paging, arguments, request,
            (conversation, _) => new ConversationNode(conversation, platform, loaders)));
    }
}

internal static class Folders
{
    public static string Validate(string folder) => folder.Length is > 0 and <= 32 && folder.All(char.IsAsciiLetterLower)
        ? folder
        : throw new GatewayError("INVALID_FOLDER", "`folder` must be a folder name such as `inbox`, `other`, `pending`, `requests` or `spam`.");
}

public static class PageQueries
{
    public static void AddPageQueries(this ObjectGraphType query)
        => query.Field<PageType>("page")
            .Description("A Facebook Page by id. Its conversations are read with the Page's access token.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The Page's `id` or Meta's Page id.")
            .Resolve(context => new PageNode(GlobalIds.MetaIdOf(context.GetArgument<string>("id"), GlobalIds.Page)));
}
