using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;
using MetaGraph.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MetaGraph.Tests.Integration;

/// <summary>A fresh emulator on a free loopback port and the registered client pointed at it, for each test:
/// no state (recorded requests, runtime config) leaks from one test to another.</summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    private ServiceProvider? _services;

    protected EmulatorServer Server { get; private set; } = null!;

    protected IMetaGraphClient Client { get; private set; } = null!;

    protected CapturedLogs Logs { get; } = new();

    /// <summary>The first seeded Page; the second one is <c>Server.Seed[1]</c>.</summary>
    protected SeedPage Page => Server.Seed[0];

    protected virtual EmulatorOptions EmulatorOptions => new();

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(EmulatorOptions);
        _services = GraphClients.Register(Server.BaseAddress, logs: Logs);
        Client = _services.GetRequiredService<IMetaGraphClient>();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await Server.DisposeAsync();
    }

    /// <summary>The ids the emulator holds in one folder of the first Page's inbox, in listing order.</summary>
    protected IReadOnlyList<string> SeededConversationIds(Platform platform, string folder)
        => Server.Data.Pages[0].Folder(Inbox(platform), folder).Select(c => c.Id).ToList();

    protected static InboxPlatform Inbox(Platform platform) => platform == Platform.Messenger ? InboxPlatform.Messenger : InboxPlatform.Instagram;

    /// <summary>Every conversation of the Page's folder on one platform, following <c>after</c> cursors.</summary>
    protected async Task<List<GraphList<Conversation>>> PagesForwardAsync(Platform platform, int limit, string? folder = null)
    {
        var pages = new List<GraphList<Conversation>>();
        string? after = null;
        do
        {
            var page = (await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
                new ConversationsQuery(platform, Folder: folder, Limit: limit, After: after))).Value;
            pages.Add(page);
            after = page.Paging is { HasNext: true } ? page.Paging.Cursors?.After : null;
        }
        while (after is not null && pages.Count < 1000);
        return pages;
    }

    /// <summary>The ids of the newest messages of the Page's conversations (those that still have details), newest first
    /// within each conversation, read with one expanded conversations call per platform.</summary>
    protected async Task<List<string>> MessageIdsWithDetailsAsync(int count)
    {
        var fields = FieldList.Of("id").AddEdge("messages", FieldList.Of("id"), limit: 20);
        var ids = new List<string>();
        foreach (var platform in Enum.GetValues<Platform>())
        {
            var conversations = await Client.GetConversationsAsync(Page.AccessToken, Page.PageId,
                new ConversationsQuery(platform, Limit: 100, Fields: fields));
            ids.AddRange(conversations.Value.Data.SelectMany(c => c.Messages?.Data ?? []).Select(m => m.Id));
        }
        Assert.True(ids.Count >= count, $"The seed has only {ids.Count} messages with details.");
        return ids.Take(count).ToList();
    }
}
