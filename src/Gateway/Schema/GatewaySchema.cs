using Gateway.Api;
using Gateway.Conversations;
using Gateway.Execution;
using Gateway.InboxSync;
using Gateway.Messages;
using Gateway.Pages;
using Gateway.Subscriptions;
using GraphQL;
using GraphQL.Types;

namespace Gateway.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Description = "Messenger and Instagram inboxes of Facebook Pages, read through Meta's Graph API.";
        this.AddNodeQueries();
        this.AddPageQueries();
        this.AddConversationQueries();
        this.AddMessageQueries();
        this.AddInboxSyncQueries();
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Replies and other actions of a Page in its inboxes, through Meta's Send API; and syncing an inbox into the message archive.";
        this.AddMessageMutations();
        this.AddConversationMutations();
        this.AddInboxSyncMutations();
    }
}

public sealed class GatewaySchema : GraphQL.Types.Schema
{
    public GatewaySchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription) : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = "A GraphQL gateway over Meta's Graph API conversations endpoints.";
        // The built-in ID and String, letting ids and cursors write themselves into the response (see ITextLeaf).
        RegisterType(new TextLeafIdGraphType());
        RegisterType(new TextLeafStringGraphType());
        UnlinkLinkSpecification();
        RegisterVisitor(new ServiceSdlVisitor());
    }

    /// <summary>GraphQL.NET applies <c>@link(url: ".../link/v1.0", import: ["@link"])</c> next to the federation link.
    /// <c>@apollo/subgraph</c> never prints it; The Guild's composer copies it beside its own, and Apollo Gateway then
    /// refuses the supergraph ("Invalid duplicate application of @core/@link"). Only the federation link stays.</summary>
    private void UnlinkLinkSpecification()
    {
        var directives = this.GetAppliedDirectives()!;
        var links = directives.Where(directive => directive.Name == "link").ToList();
        while (directives.Find("link") is not null)
        {
            directives.Remove("link");
        }
        foreach (var link in links.Where(link => link.FindArgument("url")?.Value is not string url || !url.StartsWith("https://specs.apollo.dev/link/", StringComparison.Ordinal)))
        {
            directives.Add(link);
        }
    }
}
