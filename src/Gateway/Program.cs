using Gateway.Caching;
using Gateway.Callers;
using Gateway.Health;
using Gateway.Hosting;
using Gateway.Http;
using Gateway.Meta;
using Gateway.Schema;
using Gateway.Telemetry;

if (SchemaExport.IsRequested(args))
{
    return await SchemaExport.RunAsync(args);
}

DefaultEnvironment.DevelopmentUnlessSet();
var builder = WebApplication.CreateBuilder(args);
builder.AddRedisConnection();
builder.AddGraphResultCache();
builder.AddMetaUpstream();
builder.AddCallerAuthentication();
builder.AddGatewayGraphQL();
builder.Services.AddGraphQLHttp();
builder.AddGatewayCors();
builder.AddGatewayResponseCompression();
builder.AddGatewayHealthChecks();
builder.AddGatewayTelemetry();

var app = builder.Build();
app.UseGatewayResponseCompression();
app.UseGatewayCors();
app.UseCallerAuthentication();
app.MapGraphQLHttp();
app.MapGatewayHealthChecks();
await app.RunAsync();
return 0;

public partial class Program;
