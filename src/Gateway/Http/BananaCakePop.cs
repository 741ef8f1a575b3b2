using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Gateway.Http;

/// <summary>
/// Banana Cake Pop, self-hosted: the build copies the npm package's files to <c>ide/</c> beside the app (see
/// <c>Ide.targets</c>), and they are served under the GraphQL path, so the IDE works offline. It reads
/// <c>bcp-config.json</c> next to its page and uses the page's URL as the endpoint. Without the files, browsers get a
/// short page saying so and GraphQL keeps working.
/// </summary>
public sealed class BananaCakePop
{
    // Telemetry off: the IDE must not call out of a self-hosted deployment.
    private const string ConfigJson = """{"useBrowserUrlAsEndpoint":true,"disableTelemetry":true,"title":"Meta conversations gateway"}""";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly IFileProvider? _files = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "ide"))
        ? new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "ide"))
        : null;

    public Task ServeIndexAsync(HttpContext context)
    {
        // The IDE's assets are relative to its page, so the page lives at /graphql/.
        if (!context.Request.Path.Value!.EndsWith('/'))
        {
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
            return Task.CompletedTask;
        }
        if (_files?.GetFileInfo("index.html") is not { Exists: true } index)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("""
                <!doctype html><title>GraphQL</title><p>The Banana Cake Pop assets are not installed (the build fetches them
                from npm). GraphQL is served here over POST and GET; the SDL is at <a href="?sdl">?sdl</a>.</p>
                """);
        }
        context.Response.Headers.CacheControl = "no-cache";
        return SendAsync(context, index, "text/html; charset=utf-8");
    }

    public Task ServeAssetAsync(HttpContext context, string asset)
    {
        if (asset == "bcp-config.json")
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            return context.Response.WriteAsync(ConfigJson);
        }
        if (asset.Length == 0 && context.Request.Path.Value!.EndsWith('/'))
        {
            return ServeIndexAsync(context);
        }
        if (_files?.GetFileInfo(asset) is not { Exists: true, IsDirectory: false } file || asset.Contains(".."))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        // Hashed bundle names never change content; everything else is revalidated.
        context.Response.Headers.CacheControl = asset.StartsWith("static/", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        return SendAsync(context, file, ContentTypes.TryGetContentType(asset, out var type) ? type : "application/octet-stream");
    }

    private static Task SendAsync(HttpContext context, IFileInfo file, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = file.Length;
        return context.Response.SendFileAsync(file, context.RequestAborted);
    }
}
