using Gateway.Configuration;
using Gateway.Api;
using Gateway.Conversations;
using Gateway.DataLoading;
using Gateway.Execution;
using Gateway.Messages;
using Gateway.Participants;
using Gateway.Subscriptions;
using GraphQL;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using MetaGraph;

namespace Gateway.Schema;

public static class GraphQLRegistration
{
    /// <summary>The schema, its execution options and the per-request loaders.</summary>
    public static IHostApplicationBuilder AddGatewayGraphQL(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        builder.Services.AddValidatedOptions<QueryLimitsOptions>(QueryLimitsOptions.Section);
        builder.Services.AddValidatedOptions<IntrospectionOptions>(IntrospectionOptions.Section);
        // The validation rules are built here, from the same sections.
        var limits = builder.Configuration.GetSection(QueryLimitsOptions.Section).Get<QueryLimitsOptions>() ?? new QueryLimitsOptions();
        builder.Services.AddSingleton(limits);
        var introspection = builder.Configuration.GetSection(IntrospectionOptions.Section).Get<IntrospectionOptions>() ?? new IntrospectionOptions();
        builder.Services.AddScoped<RequestLoaders>();
        builder.Services.AddSingleton<GraphLoaderFactories>();
        builder.Services.AddConversationLoaders().AddMessageLoaders().AddProfileLoader();
        builder.Services.AddSingleton<PersistedOperations>();
        builder.Services.AddSingleton<ValidatedDocumentCache>();
        builder.Services.AddSingleton<OperationTypes>();
        // Before AddGraphQL, which registers its own validator only when none is.
        builder.Services.AddSingleton<GraphQL.Validation.IDocumentValidator, RepeatedDocumentValidator>();
        builder.Services.AddGraphQL(graphQL => graphQL
            .AddSchema<GatewaySchema>()
            .ConfigureSchema((schema, _) => SpecIntrospectionFilter.Enable(schema))
            .AddGraphTypes(typeof(GatewaySchema).Assembly)
            .AddSystemTextJson(json =>
            {
                json.Encoder = MinimalJsonEscaping.Instance;
                json.Converters.Add(new ExecutionResultWriter());
            })
            .AddFederation("2.3")
            // A span per operation (GraphQL.NET's defaults record no document text).
            .UseTelemetry()
            .AddErrorInfoProvider(options => options.ExposeExceptionDetails = false)
            // Complexity multiplies by `first`/`last`, which may be variables: it runs on cached documents too.
            .AddValidationRule(new ComplexityValidationRule(new ComplexityOptions
            {
                MaxDepth = limits.MaxDepth,
                MaxComplexity = limits.MaxComplexity,
                DefaultComplexityImpactDelegate = IntrospectionCost.Around(new ComplexityOptions().DefaultComplexityImpactDelegate),
            }), useForCachedDocuments: true)
            .AddValidationRule(new IntrospectionRule(introspection.Enabled))
            .ConfigureExecution<ResponseErrors>()
            .ConfigureExecution(provider => provider.GetRequiredService<PersistedOperations>())
            .ConfigureExecution(provider => provider.GetRequiredService<ValidatedDocumentCache>())
            .ConfigureExecution<DocumentLimits>()
            .ConfigureExecution<Caching.CacheFreshnessExtension>()
            .AddExecutionStrategy<InlineSubtreeExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddExecutionStrategy<SubscriberExecutionStrategy>(GraphQLParser.AST.OperationType.Subscription)
            .ConfigureExecutionOptions(options => options.Timeout = limits.ExecutionTimeout)
            .AddUnhandledExceptionHandler(context =>
            {
                // Graph errors become coded GraphQL errors on their path; anything else stays a generic message.
                context.Exception = context.OriginalException switch
                {
                    GraphApiException graphError => GatewayError.FromGraph(graphError),
                    // The resilience pipeline refused the call (open circuit, timeout, too many in flight).
                    Polly.ExecutionRejectedException => new GatewayError("UPSTREAM_UNAVAILABLE", "The Graph API is unavailable right now; retry later."),
                    _ => context.Exception,
                };
            }));
        return builder;
    }
}
