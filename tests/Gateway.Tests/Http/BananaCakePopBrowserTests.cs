using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>Banana Cake Pop in a real headless Chromium (Debian's package, installed by .ci/run), loaded from the gateway
/// with no network beyond loopback, used as a person would: its schema explorer and a query typed into it.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(BrowserCollection.Name)]
public sealed class BananaCakePopBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_ide_explorer_lists_the_schema_and_a_query_typed_into_it_returns_data()
    {
        // Server-side Page tokens, as `dotnet run` in Development: the IDE needs no headers.
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var query = $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""";
        var conversationId = (await host.QueryAsync(query)).At("data.page.conversations.nodes.0.id")!.GetValue<string>();
        await using var ide = await BananaCakePopBrowser.OpenAsync(host, output);
        var page = ide.Page;
        var step = "open";
        try
        {
            // The title comes from the gateway's bcp-config.json.
            await page.WaitForFunctionAsync("() => document.title.endsWith('Meta conversations gateway')", null,
                new PageWaitForFunctionOptions { Timeout = BananaCakePopBrowser.Timeout });

            step = "query";
            await ide.TypeOperationAsync(query, shownInEditor: "MESSENGER", rootType: "Query");
            // The conversation id is in the answer only, not in the typed query.
            await RunUntilTheAnswerShowsAsync(ide, conversationId);
            await ide.ScreenshotAsync("banana-cake-pop.png");

            step = "schema";
            // A click that lands while the IDE re-renders (it reloads its schema now and then) goes unnoticed: open the
            // reference again until its list shows.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await page.GetByText("Schema Reference").First.ClickAsync(new LocatorClickOptions { Timeout = BananaCakePopBrowser.Timeout });
                    await page.GetByText("Objects", new PageGetByTextOptions { Exact = true }).ClickAsync(new LocatorClickOptions { Timeout = 10_000 });
                    break;
                }
                catch (TimeoutException) when (attempt < 6)
                {
                }
            }
            // The list is rendered anew on schema reloads, so only waits that find their element again are used here (no
            // scrolling); the window is tall enough for the screenshot to show all three.
            foreach (var type in new[] { "Conversation", "Message", "Page" })
            {
                await BananaCakePopBrowser.VisibleAsync(page.GetByText(type, new PageGetByTextOptions { Exact = true }));
            }
            await ide.ScreenshotAsync("banana-cake-pop-schema.png");
        }
        catch
        {
            await ide.ScreenshotAsync($"banana-cake-pop-failed-at-{step}.png");
            throw;
        }
    }

    /// <summary>A reply typed into the IDE: Run sends it (with an idempotency key, so the clicks Run may take send it once) and the
    /// payload shows the delivered message.</summary>
    [Fact]
    public async Task A_sendMessage_mutation_typed_into_the_ide_is_sent_once_and_its_payload_shows_the_message()
    {
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var (conversationId, personId) = host.Person();
        await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId, text = "Hello?" });
        var mutation = $$"""
            mutation { sendMessage(input: { recipient: { pageId: "{{host.Page.PageId}}", platform: MESSENGER, userId: "{{personId}}" }, text: "Sent from Banana Cake Pop", idempotencyKey: "ide-reply-1" }) { message { metaId message } errors { __typename } } }
            """;
        await using var ide = await BananaCakePopBrowser.OpenAsync(host, output);
        try
        {
            await ide.TypeOperationAsync(mutation, shownInEditor: "Banana Cake Pop", rootType: "Mutation");
            await ide.RunButton.ClickAsync(new LocatorClickOptions { Timeout = BananaCakePopBrowser.Timeout });
            var sent = await Eventually.ObjectAsync(() => Task.FromResult(host.Emulator.SentMessages.FirstOrDefault()), TimeSpan.FromSeconds(60),
                "the IDE's mutation to reach Meta's Send API");
            // The message's id is in the answer only, not in the typed mutation.
            await RunUntilTheAnswerShowsAsync(ide, sent.MessageId!);
            await ide.ScreenshotAsync("banana-cake-pop-send-message.png");

            Assert.Single(host.Emulator.SentMessages);
            Assert.Equal("Sent from Banana Cake Pop", sent.Text);
        }
        catch
        {
            await ide.ScreenshotAsync("banana-cake-pop-send-message-failed.png");
            throw;
        }
    }

    /// <summary>Clicks Run as a person would; a click that lands while the IDE re-renders does nothing, so Run is clicked
    /// again (at most three times) until the answer shows.</summary>
    private static async Task RunUntilTheAnswerShowsAsync(BananaCakePopBrowser ide, string expected)
    {
        for (var attempt = 1; ; attempt++)
        {
            await ide.RunButton.ClickAsync(new LocatorClickOptions { Timeout = BananaCakePopBrowser.Timeout });
            try
            {
                await BananaCakePopBrowser.VisibleAsync(ide.Page.GetByText(expected), timeout: 20_000);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
