using Gateway.Archive.Hosting;
using Gateway.Archive.Privacy;
using Gateway.Caching;
using Gateway.Configuration;
using Gateway.Callers;
using Gateway.Health;
using Gateway.Hosting;
using Gateway.Http;
using Gateway.Inbox;
using Gateway.InboxSync;
using Gateway.Redis;
using Gateway.Schema;
using Gateway.Sending;
using Gateway.Subscriptions;
using Gateway.Telemetry;
using Gateway.Upstream;
using Gateway.Webhooks;

if (SchemaExport.IsRequested(args))
{
    return await SchemaExport.RunAsync(args);
}

DefaultEnvironment.DevelopmentUnlessSet();
if (ArchiveCommand.IsRequested(args))
{
    return await ArchiveCommand.RunAsync(args);
}

if (InboxSyncCommand.IsRequested(args))
{
    return await InboxSyncCommand.RunAsync(args);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddDemoEmulator();
    builder.AddRedisConnection();
    builder.AddGraphResultCache();
    builder.AddMetaUpstream();
    builder.AddCallerAuthentication();
    builder.AddGatewayGraphQL();
    builder.AddGraphQLHttp();
    builder.AddGatewayCors();
    builder.AddGatewayResponseCompression();
    builder.AddMessageSending();
    builder.AddInboxEvents();
    builder.AddArchive();
    builder.AddInboxSync();
    builder.AddGraphQLSubscriptions();
    builder.AddMetaWebhooks();
    builder.AddGatewayHealthChecks();
    builder.AddGatewayTelemetry();

    var app = builder.Build();
    app.UseClientDisconnects();
    app.UseGatewayCors();
    app.UseCallerAuthentication();
    // Before compression: a WebSocket upgrade must not be wrapped by a compressing body.
    app.UseGraphQLWebSockets();
    app.UseGatewayResponseCompression();
    app.MapGraphQLHttp();
    app.MapMetaWebhooks();
    app.MapMetaDataDeletion();
    app.MapGatewayHealthChecks();
    await app.RunAsync();
    return 0;
}
catch (Exception failure) when (ConfigurationFailure.Describe(failure) is { } problem)
{
    return await ConfigurationFailure.ReportAsync(problem);
}

public partial class Program;
