using MetaGraph.Emulator;

// dotnet run --project src/MetaGraph.Emulator -- --urls http://127.0.0.1:5090 [--conversations N] [--messages N] [--seed N] [--pages N] [--latency-ms N]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var options = new EmulatorOptions
{
    Seed = settings.GetValue("seed", 20261125),
    Pages = settings.GetValue("pages", 2),
    ConversationsPerPlatform = settings.GetValue("conversations", 24),
    MaxMessagesPerConversation = settings.GetValue("messages", 60),
    LatencyMs = settings.GetValue("latency-ms", 0),
};
await using var emulator = await EmulatorServer.StartAsync(options, settings["urls"] ?? "http://127.0.0.1:5090");
Console.WriteLine($"Graph API emulator on {emulator.BaseAddress} (any version: {emulator.BaseAddress}v25.0/...)");
foreach (var page in emulator.Seed)
{
    Console.WriteLine($"  page {page.PageId}  instagram {page.InstagramAccountId}  token {page.AccessToken}  " +
        $"conversations: {page.Conversations.Messenger} messenger, {page.Conversations.Instagram} instagram");
}
Console.WriteLine("Diagnostics: GET /_emulator/seed, GET|DELETE /_emulator/requests, POST /_emulator/config");
await emulator.WaitForShutdownAsync();
