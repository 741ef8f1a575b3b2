using MetaGraph.Emulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

// dotnet run --project src/MetaGraph.Emulator -- --urls http://127.0.0.1:5090
//   [--conversations N] [--messages N] [--seed N] [--pages N] [--latency-ms N] [--app-secret S] [--large-page-conversations N]
//   [--webhook-url URL --webhook-verify-token T]   (webhooks are signed with the app secret)
var builder = WebApplication.CreateSlimBuilder(args);
var settings = builder.Configuration;
var state = new EmulatorState(new EmulatorOptions
{
    Seed = settings.GetValue("seed", 20261125),
    Pages = settings.GetValue("pages", 2),
    ConversationsPerPlatform = settings.GetValue("conversations", 24),
    MaxMessagesPerConversation = settings.GetValue("messages", 60),
    LatencyMs = settings.GetValue("latency-ms", 0),
    AppSecret = settings["app-secret"],
    LargePageConversations = settings.GetValue("large-page-conversations", 0),
});
var app = builder.Build();
app.MapMetaGraphEmulator(state);
await app.StartAsync();

var root = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
Console.WriteLine($"Graph API emulator on {root}/ (any version, e.g. {root}/v25.0/)");
foreach (var page in state.Seed)
{
    Console.WriteLine($"  page {page.PageId}  instagram {page.InstagramAccountId}  token {page.AccessToken}");
}
Console.WriteLine($"Diagnostics: {root}/_emulator/seed, {root}/_emulator/requests, {root}/_emulator/webhooks, POST {root}/_emulator/config");
if (settings["webhook-url"] is { Length: > 0 } webhookUrl)
{
    try
    {
        await state.ConfigureAsync(new EmulatorRuntimeConfig(WebhookUrl: webhookUrl, WebhookVerifyToken: settings["webhook-verify-token"]));
        Console.WriteLine($"Webhooks go to {webhookUrl}");
    }
    catch (EmulatorConfigException error)
    {
        // The receiver may start later: POST /_emulator/config sets the webhook then.
        Console.Error.WriteLine($"Webhooks are off: {error.Message}");
    }
}
Console.WriteLine($"Living inbox: POST {root}/_emulator/messages, /_emulator/reads, /_emulator/reactions, /_emulator/unsends, /_emulator/postbacks, /_emulator/availability");
Console.WriteLine($"Send API: POST {root}/v25.0/{{page-id}}/messages; sends processed: {root}/_emulator/sends; clock: {root}/_emulator/clock");
await app.WaitForShutdownAsync();
await state.DisposeAsync();

// The emulator is also a library: keep its entry point out of referencing projects (the gateway has its own Program).
internal partial class Program;
