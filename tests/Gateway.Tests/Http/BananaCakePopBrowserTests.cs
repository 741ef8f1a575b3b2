using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>Banana Cake Pop in a real headless Chromium (Debian's package, installed by .ci/run), loaded from the gateway
/// with no network beyond loopback, used as a person would: its schema explorer and a query typed into it.</summary>
public sealed class BananaCakePopBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Timeout = 60_000;

    [Fact]
    public async Task The_ide_explorer_lists_the_schema_and_a_query_typed_into_it_returns_data()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        // Server-side Page tokens, as `dotnet run` in Development: the IDE needs no headers.
        await using var host = await GatewayHost.StartAsync(configurePages: true);
        var query = $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id } } } }""";
        var conversationId = (await host.QueryAsync(query)).At("data.page.conversations.nodes.0.id")!.GetValue<string>();
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
        page.RequestFailed += (_, request) => output.WriteLine($"request failed: {request.Method} {request.Url} {request.Failure}");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(screenshots);
        var step = "open";
        try
        {
            await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/graphql").ToString());
            // A new document makes the IDE connect to its endpoint and introspect it.
            await page.GetByText("Create Document").ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            await VisibleAsync(page.GetByText("Schema available"));

            step = "schema";
            await page.GetByText("Schema Reference").First.ClickAsync();
            await page.GetByText("Objects", new PageGetByTextOptions { Exact = true }).ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            foreach (var type in new[] { "Page", "Conversation", "Message" })
            {
                var entry = page.GetByText(type, new PageGetByTextOptions { Exact = true }).First;
                await entry.ScrollIntoViewIfNeededAsync(new LocatorScrollIntoViewIfNeededOptions { Timeout = Timeout });
                await VisibleAsync(entry);
            }
            await ScreenshotAsync(page, screenshots, "banana-cake-pop-schema.png");

            step = "query";
            await page.GetByText("Operation", new PageGetByTextOptions { Exact = true }).First.ClickAsync();
            await page.Locator(".monaco-editor:visible").First.ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            await page.Keyboard.InsertTextAsync(query);
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run" }).ClickAsync();
            // The conversation id is in the answer only, not in the typed query.
            await VisibleAsync(page.GetByText(conversationId));
            await ScreenshotAsync(page, screenshots, "banana-cake-pop.png");
        }
        catch
        {
            await ScreenshotAsync(page, screenshots, $"banana-cake-pop-failed-at-{step}.png");
            throw;
        }
        Assert.EndsWith("Meta conversations gateway", await page.TitleAsync());
    }

    private static Task VisibleAsync(ILocator locator)
        => locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = Timeout });

    private async Task ScreenshotAsync(IPage page, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"Screenshot at {path}");
    }
}
