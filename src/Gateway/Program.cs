using Gateway.Callers;
using Gateway.Health;
using Gateway.Http;
using Gateway.Meta;
using Gateway.Schema;
using Gateway.Subscriptions;
using Gateway.Telemetry;
using Gateway.Webhooks;

if (SchemaExport.IsRequested(args))
{
    return await SchemaExport.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddMetaUpstream();
builder.AddCallerAuthentication();
builder.AddGatewayGraphQL();
builder.Services.AddGraphQLHttp();
builder.Services.AddGraphQLSubscriptions();
builder.AddMetaWebhooks();
builder.AddGatewayHealthChecks();
builder.AddGatewayTelemetry();

var app = builder.Build();
app.UseCallerAuthentication();
app.UseGraphQLSubscriptions();
app.MapGraphQLHttp();
app.MapMetaWebhooks();
app.MapGatewayHealthChecks();
await app.RunAsync();
return 0;

public partial class Program;
