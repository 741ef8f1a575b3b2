using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Gateway.Http;

/// <summary>Brotli or gzip, as the client accepts, for GraphQL answers, the SDL and the IDE's assets (a 50 × 20 inbox
/// shrinks to about a third).</summary>
public static class Compression
{
    public static IHostApplicationBuilder AddGatewayResponseCompression(this IHostApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            // Off by default over HTTPS because of BREACH, which needs a secret in the body next to attacker-controlled
            // text; answers here carry neither tokens nor CSRF secrets.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/graphql-response+json", "application/graphql", "image/svg+xml"]);
        });
        // Fastest: the gateway shares its cores with everything else; the ratio on JSON is nearly the same.
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return builder;
    }

    public static IApplicationBuilder UseGatewayResponseCompression(this IApplicationBuilder app) => app.UseResponseCompression();
}
