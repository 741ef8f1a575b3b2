using Gateway.Conversations;
using Gateway.Messages;
using Gateway.Pages;
using Gateway.Subscriptions;
using GraphQL.Types;

namespace Gateway.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Description = "Messenger and Instagram inboxes of Facebook Pages, read through Meta's Graph API.";
        this.AddPageQueries();
        this.AddConversationQueries();
        this.AddMessageQueries();
    }
}

public sealed class GatewaySchema : GraphQL.Types.Schema
{
    public GatewaySchema(IServiceProvider services, QueryType query, SubscriptionType subscription) : base(services)
    {
        Query = query;
        Subscription = subscription;
        Description = "A GraphQL gateway over Meta's Graph API conversations endpoints.";
    }
}
