using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>Banana Cake Pop in a real headless Chromium (Debian's package, installed by .ci/run), loaded from the gateway
/// with no network beyond loopback, used as a person would: its schema explorer and a query typed into it.</summary>
[Collection(BrowserCollection.Name)]
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
            ViewportSize = new ViewportSize { Width = 1400, Height = 1600 },
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
            // The title comes from the gateway's bcp-config.json.
            await page.WaitForFunctionAsync("() => document.title.endsWith('Meta conversations gateway')", null,
                new PageWaitForFunctionOptions { Timeout = Timeout });

            step = "query";
            await TypeIntoRequestEditorAsync(page, query);
            // The conversation id is in the answer only, not in the typed query.
            await RunUntilTheAnswerShowsAsync(page, conversationId);
            await ScreenshotAsync(page, screenshots, "banana-cake-pop.png");

            step = "schema";
            // A click that lands while the IDE reloads itself goes unnoticed: open the reference again until its list shows.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await page.GetByText("Schema Reference").First.ClickAsync(new LocatorClickOptions { Timeout = Timeout });
                    await page.GetByText("Objects", new PageGetByTextOptions { Exact = true }).ClickAsync(new LocatorClickOptions { Timeout = 10_000 });
                    break;
                }
                catch (TimeoutException) when (attempt < 6)
                {
                }
            }
            // The IDE reloads its schema now and then and renders the list anew, so only waits that find their element
            // again are used here (no scrolling); the window is tall enough for the screenshot to show all three.
            foreach (var type in new[] { "Conversation", "Message", "Page" })
            {
                await VisibleAsync(page.GetByText(type, new PageGetByTextOptions { Exact = true }));
            }
            await ScreenshotAsync(page, screenshots, "banana-cake-pop-schema.png");
        }
        catch
        {
            await ScreenshotAsync(page, screenshots, $"banana-cake-pop-failed-at-{step}.png");
            throw;
        }
    }

    /// <summary>Types into the request editor as a person would. The editor may still be mounting when it is first
    /// clicked, which loses the text, so typing is repeated (at most three times) until the editor shows it and the
    /// IDE has read it (its operation builder lists the query; Run before that sends the empty document).</summary>
    private static async Task TypeIntoRequestEditorAsync(IPage page, string query)
    {
        var editor = page.Locator(".monaco-editor:visible").First;
        for (var attempt = 1; ; attempt++)
        {
            await editor.ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.InsertTextAsync(query);
            try
            {
                await editor.GetByText("MESSENGER").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
                await page.GetByText("Query", new PageGetByTextOptions { Exact = true }).WaitForAsync(
                    new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Clicks Run as a person would; a click that lands while the IDE re-renders (it reloads the schema now and
    /// then) does nothing, so Run is clicked again (at most three times) until the answer shows.</summary>
    private static async Task RunUntilTheAnswerShowsAsync(IPage page, string expected)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run Operation" }).ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            try
            {
                await page.GetByText(expected).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 20_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private static Task VisibleAsync(ILocator locator)
        => locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = Timeout });

    /// <summary>A screenshot taken while the IDE re-renders can fail; it is taken again (at most three times).</summary>
    private async Task ScreenshotAsync(IPage page, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
                output.WriteLine($"Screenshot at {path}");
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }
}
