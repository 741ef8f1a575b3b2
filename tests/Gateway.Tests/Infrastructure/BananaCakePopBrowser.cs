using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Banana Cake Pop in a real headless Chromium (Debian's package, installed by .ci/run) with a fresh profile, loaded from
/// the gateway with no network beyond loopback, and a new document open. What the page's WebSockets send and receive
/// (message types only) and failed requests go to the test's output.
/// </summary>
public sealed partial class BananaCakePopBrowser : IAsyncDisposable
{
    public const float Timeout = 60_000;
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Runs in every document before the IDE's scripts: was the page loaded under the service worker's control?</summary>
    private const string NoteServiceWorkerControl = "window.loadedUnderServiceWorker = navigator.serviceWorker?.controller != null;";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _browser;
    private readonly DirectoryInfo _profile;
    private readonly ITestOutputHelper _output;

    private BananaCakePopBrowser(IPlaywright playwright, IBrowserContext browser, DirectoryInfo profile, IPage page, ITestOutputHelper output)
    {
        _playwright = playwright;
        _browser = browser;
        _profile = profile;
        Page = page;
        _output = output;
    }

    public IPage Page { get; }

    /// <summary>Folder of the screenshots (shown in the test output).</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults");

    public static async Task<BananaCakePopBrowser> OpenAsync(GatewayHost host, ITestOutputHelper output)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("bcp-profile-");
        var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            // Tall enough for a screenshot to show the schema explorer's list without scrolling.
            ViewportSize = new ViewportSize { Width = 1400, Height = 1600 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var ide = new BananaCakePopBrowser(playwright, browser, profile, page, output);
        ide.LogTraffic();
        try
        {
            await page.AddInitScriptAsync(NoteServiceWorkerControl);
            await page.GotoAsync(new Uri(host.Client.BaseAddress!, "/graphql").ToString());
            // On its first visit the IDE installs a service worker, which caches the IDE and takes control of the page; the
            // IDE then reloads itself, seconds later (when caching ends), dropping what a person had begun, a running
            // subscription's socket included. It is used once a page has loaded under the worker's control: that one stays.
            try
            {
                await page.WaitForFunctionAsync("() => window.loadedUnderServiceWorker === true", null, new PageWaitForFunctionOptions { Timeout = Timeout });
            }
            catch (TimeoutException)
            {
                Assert.Fail("Banana Cake Pop's service worker never took control of the page: is every file it caches served under /graphql/?");
            }
            // A new document makes the IDE connect to its endpoint and introspect it.
            await page.GetByText("Create Document").ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            await VisibleAsync(page.GetByText("Schema available"));
        }
        catch
        {
            await ide.ScreenshotAsync("banana-cake-pop-failed-to-open.png");
            await ide.DisposeAsync();
            throw;
        }
        return ide;
    }

    /// <summary>Types an operation into the request editor as a person would. The editor may still be mounting when it is
    /// first clicked, which loses the text, so typing is repeated (at most three times) until the editor shows
    /// <paramref name="shownInEditor"/> and the IDE has read the operation (its builder lists the operation's root type,
    /// <paramref name="rootType"/>; Run before that sends the empty document).</summary>
    public async Task TypeOperationAsync(string operation, string shownInEditor, string rootType)
    {
        var editor = Page.Locator(".monaco-editor:visible").First;
        for (var attempt = 1; ; attempt++)
        {
            await editor.ClickAsync(new LocatorClickOptions { Timeout = Timeout });
            await Page.Keyboard.PressAsync("Control+A");
            await Page.Keyboard.InsertTextAsync(operation);
            try
            {
                await editor.GetByText(shownInEditor).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
                await Page.GetByText(rootType, new PageGetByTextOptions { Exact = true }).WaitForAsync(
                    new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>The Run button; while an operation runs, it turns into <see cref="CancelButton"/>.</summary>
    public ILocator RunButton => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run Operation" });

    public ILocator CancelButton => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel Operation" });

    public static Task VisibleAsync(ILocator locator, float timeout = Timeout)
        => locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = timeout });

    /// <summary>A screenshot taken while the IDE re-renders can fail; it is taken again (at most three times).</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Screenshots);
        var path = Path.Combine(Screenshots, name);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
                _output.WriteLine($"Screenshot at {path}");
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Enough to see in a failed test's output who opened and closed which socket, and what the page reloaded.
    /// Only message types are written: a <c>connection_init</c> payload can carry a token.</summary>
    private void LogTraffic()
    {
        var started = DateTime.UtcNow;
        void Log(string line) => _output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F1}s {line}");
        Page.RequestFailed += (_, request) => Log($"request failed: {request.Method} {request.Url} {request.Failure}");
        Page.FrameNavigated += (_, frame) => Log($"page loaded {frame.Url}");
        var sockets = 0;
        Page.WebSocket += (_, socket) =>
        {
            var name = $"WebSocket {Interlocked.Increment(ref sockets)}";
            Log($"{name} opened {socket.Url}");
            socket.FrameSent += (_, frame) => Log($"{name} sent {MessageType(frame.Text)}");
            socket.FrameReceived += (_, frame) => Log($"{name} received {MessageType(frame.Text)}");
            socket.Close += (_, _) => Log($"{name} closed");
        };
    }

    private static string MessageType(string? text) => text is not null && TypeProperty().Match(text) is { Success: true } match ? match.Groups[1].Value : "(no type)";

    [GeneratedRegex("\"type\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex TypeProperty();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _profile.Delete(recursive: true);
    }
}
