using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Telemetry;

/// <summary>
/// What operators see: traces (ASP.NET Core, HttpClient, GraphQL.NET) and the gateway's own metrics, exported over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Graph URLs carry the access token in their query string, so outgoing
/// spans keep the path only.
/// </summary>
public static class GatewayTelemetry
{
    public const string MeterName = "Gateway";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Graph API calls, by endpoint (conversations, messages, node, ids, batch) and outcome.</summary>
    public static readonly Counter<long> UpstreamCalls = Meter.CreateCounter<long>("gateway.upstream.calls", description: "Graph API calls by endpoint and outcome.");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("gateway.dataloader.batch_size", description: "Keys per DataLoader batch.");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("gateway.dataloader.cache_hits", description: "Loads answered from the request's cache.");

    public static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram<double>("gateway.ratelimit.wait", "ms", "Time calls waited for their Page's turn.");

    /// <summary>Webhook events by kind and outcome: published, duplicate, or ignored (kinds the gateway does not publish).</summary>
    public static readonly Counter<long> WebhookEvents = Meter.CreateCounter<long>("gateway.webhooks.events", description: "Webhook events by kind and outcome.");

    public static readonly UpDownCounter<long> Subscribers = Meter.CreateUpDownCounter<long>("gateway.subscriptions.active", description: "Active GraphQL subscriptions.");

    /// <summary>Subscription events resolved: once per event and stream, however many subscribers share the stream.</summary>
    public static readonly Counter<long> SubscriptionEventsResolved = Meter.CreateCounter<long>("gateway.subscriptions.events_resolved", description: "Subscription events resolved (once per shared stream).");

    public static readonly Counter<long> SlowSubscribersDisconnected = Meter.CreateCounter<long>("gateway.subscriptions.slow_disconnected", description: "Subscribers disconnected because they stopped reading.");

    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        // Without an exporter nothing would leave the process, yet every request would still record spans and
        // aggregate metrics; the counters above stay readable with dotnet-counters either way.
        if (string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("meta-conversations-gateway"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = WithoutQuery)
                .AddSource("GraphQL"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(MeterName))
            .UseOtlpExporter();
        return builder;
    }

    private static void WithoutQuery(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { } uri)
        {
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
            activity.SetTag("url.query", null);
        }
    }
}
