using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Subscriptions;

/// <summary>Banana Cake Pop in headless Chromium runs a subscription over the gateway's WebSocket and shows the event a
/// webhook delivers.</summary>
public sealed class BananaCakePopSubscriptionTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_ide_shows_a_subscription_event()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings(), configurePages: true);
        var pageId = host.Page.PageId;
        var (_, person) = host.Person();
        using var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("bcp-profile-");
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "banana-cake-pop-subscription.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        try
        {
            await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/graphql").ToString());
            await page.GetByText("Create Document").ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var editor = page.Locator(".monaco-editor").First;
            await editor.ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.PressAsync("Delete");
            await page.Keyboard.InsertTextAsync($$"""subscription { messageReceived(pageId: "{{pageId}}") { metaId message } }""");
            // A click while the IDE is still settling can go unnoticed: Run again until the gateway holds the subscription.
            var run = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run", Exact = true });
            var hub = (Gateway.Subscriptions.InboxEventHub)host.Services.GetService(typeof(Gateway.Subscriptions.InboxEventHub))!;
            for (var attempt = 0; hub.SubscriptionCount == 0; attempt++)
            {
                Assert.True(attempt < 20, "Banana Cake Pop never subscribed.");
                if (await run.IsVisibleAsync())
                {
                    await run.ClickAsync();
                }
                await page.WaitForTimeoutAsync(500);
            }

            using var response = await host.PostWebhookAsync(MetaWebhooks.Delivery(pageId,
                MetaWebhooks.Message(pageId, person, "m_seen_in_the_ide", "Shown in Banana Cake Pop", 1_700_000_000_000)));

            await page.GetByText("m_seen_in_the_ide").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
            output.WriteLine($"Screenshot at {screenshot}");
        }
    }
}
