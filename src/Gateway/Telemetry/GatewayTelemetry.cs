using System.Diagnostics;
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
    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<GatewayMetrics>();
        return builder.AddOpenTelemetryExport();
    }

    private static IHostApplicationBuilder AddOpenTelemetryExport(this IHostApplicationBuilder builder)
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
                .AddMeter(GatewayMetrics.MeterName))
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
