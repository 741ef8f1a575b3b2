using Gateway.Archive;
using Gateway.Tests.Infrastructure;
using MetaGraph;
using MetaGraph.Emulator;

namespace Gateway.Tests.Archive;

/// <summary>Gateways that keep a message archive, on an emulator whose signed webhooks reach them, and the archive as a
/// test reads it (its own connection to the same database).</summary>
internal static class ArchiveGateways
{
    /// <summary>The gateway's settings: webhooks (app secret, verify token), every seeded Page's token and Instagram account
    /// (for looking up a new person's conversation, and naming the Page of Instagram webhooks), and the archive.</summary>
    public static Dictionary<string, string?> Settings(EmulatorServer emulator, string archive, params (string Key, string? Value)[] more)
        => MetaWebhooks.Settings([("ConnectionStrings:Archive", archive),
            .. emulator.Seed.SelectMany(page => new (string, string?)[]
            {
                ($"Meta:Pages:{page.PageId}:AccessToken", page.AccessToken),
                ($"Meta:Pages:{page.PageId}:InstagramAccountId", page.InstagramAccountId),
            }),
            .. more]);

    /// <summary>A gateway in this process keeping its archive in <paramref name="archive"/>, its emulator's webhooks connected.</summary>
    public static async Task<GatewayHost> StartAsync(EmulatorServer emulator, string archive, params (string Key, string? Value)[] more)
    {
        var host = await GatewayHost.StartAsync(sharedEmulator: emulator, settings: Settings(emulator, archive, more));
        await host.ConnectEmulatorWebhooksAsync();
        return host;
    }

    public static MessageArchive Open(string archive) => new(ArchiveDatabase.Open(archive), TimeProvider.System);

    /// <summary>A new person writes <paramref name="count"/> messages to the first Page ("message 1" first), each delivered by
    /// webhook; returns once the archive holds them all, with the message ids newest first.</summary>
    public static async Task<Thread> ThreadByWebhookAsync(this GatewayHost host, MessageArchive archive, Platform platform, int count)
    {
        var page = host.Page.PageId;
        var name = platform.ToString().ToLowerInvariant();
        var first = await host.MakePersonWriteAsync(new { pageId = page, platform = name, text = "message 1" });
        var person = first["userId"]!.GetValue<string>();
        var rest = await host.MakePersonWriteAsync(Enumerable.Range(2, count - 1)
            .Select(index => new { pageId = page, platform = name, userId = person, text = $"message {index}" }).ToArray());
        var conversation = first["conversationId"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => await archive.CountMessagesAsync(conversation) == count, TimeSpan.FromSeconds(60),
            $"the archive to hold the {count} messages");
        var ids = rest.AsArray().Select(answer => answer!["messageId"]!.GetValue<string>()).Prepend(first["messageId"]!.GetValue<string>());
        return new Thread(conversation, person, [.. ids.Reverse()]);
    }

    /// <summary>A conversation written by webhook: its person, and its messages' ids newest first.</summary>
    public sealed record Thread(string ConversationId, string PersonId, IReadOnlyList<string> NewestFirst)
    {
        public string Oldest => NewestFirst[^1];
    }
}
