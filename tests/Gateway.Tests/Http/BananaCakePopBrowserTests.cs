using Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Http;

/// <summary>Banana Cake Pop in a real headless Chromium (Debian's package, installed by .ci/run): it loads from the
/// gateway with no network beyond loopback and fetches the schema by introspection.</summary>
public sealed class BananaCakePopBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_ide_loads_and_fetches_the_schema()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        await using var host = await GatewayHost.StartAsync();
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
        var introspection = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.Contains("/graphql") && (request.PostData ?? "").Contains("__schema"))
            {
                introspection.TrySetResult(request.Url);
            }
        };

        page.RequestFailed += (_, request) => output.WriteLine($"request failed: {request.Method} {request.Url} {request.Failure}");
        await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/graphql").ToString());
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "banana-cake-pop.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        string url;
        try
        {
            // A new document makes the IDE connect to its endpoint and introspect it.
            await page.GetByText("Create Document").ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
            url = await introspection.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
            output.WriteLine($"Screenshot at {screenshot}");
        }
        output.WriteLine($"Introspection POST to {url}");
        Assert.StartsWith(new Uri(host.Client.BaseAddress!, "/graphql").ToString(), url);
        Assert.EndsWith("Meta conversations gateway", await page.TitleAsync());
    }
}
