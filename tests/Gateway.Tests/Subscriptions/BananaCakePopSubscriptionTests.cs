using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Subscriptions;

/// <summary>Banana Cake Pop in headless Chromium runs a subscription over the gateway's WebSocket, as a person does in
/// its subscription tab, and shows what a person writes to the Page afterwards (the emulator delivers Meta's webhook).</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
[Collection(BrowserCollection.Name)]
public sealed class BananaCakePopSubscriptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_ide_shows_a_message_a_person_writes_while_its_subscription_runs()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        await host.ConnectEmulatorWebhooksAsync();
        var pageId = host.Page.PageId;
        var (conversation, _) = host.Person();
        const string text = "Seen live in Banana Cake Pop";
        await using var ide = await BananaCakePopBrowser.OpenAsync(host, output);
        try
        {
            await ide.TypeOperationAsync($$"""subscription { messageReceived(pageId: "{{pageId}}") { metaId message } }""",
                shownInEditor: pageId, rootType: "Subscription");
            await RunUntilTheSubscriptionRunsAsync(ide);
            // The IDE shows it running; the event is made once the gateway holds the subscription, so it comes after.
            await host.WaitForSubscriptionsAsync(1);

            await host.MakePersonWriteAsync(new { pageId, platform = "messenger", conversationId = conversation, text });

            // The text is nowhere on the page but in the subscription's result pane (an editor showing the event).
            await BananaCakePopBrowser.VisibleAsync(ide.Page.Locator(".monaco-editor").Filter(new LocatorFilterOptions { HasText = text }), timeout: 30_000);
            await BananaCakePopBrowser.VisibleAsync(ide.CancelButton);
            await ide.ScreenshotAsync("banana-cake-pop-subscription.png");
        }
        catch
        {
            await ide.ScreenshotAsync("banana-cake-pop-subscription-failed.png");
            throw;
        }
    }

    /// <summary>Clicks Run as a person would, until the IDE shows the subscription running (Run turns into Cancel); a click
    /// that lands while the IDE re-renders does nothing, so Run is clicked again (at most three times).</summary>
    private static async Task RunUntilTheSubscriptionRunsAsync(BananaCakePopBrowser ide)
    {
        for (var attempt = 1; ; attempt++)
        {
            await ide.RunButton.ClickAsync(new LocatorClickOptions { Timeout = BananaCakePopBrowser.Timeout });
            try
            {
                await BananaCakePopBrowser.VisibleAsync(ide.CancelButton, timeout: 10_000);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
