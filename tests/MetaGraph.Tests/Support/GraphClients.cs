using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaGraph.Tests.Support;

internal static class GraphClients
{
    /// <summary>The client as an application gets it: registered, with its pooled handler and resilience pipeline.</summary>
    public static ServiceProvider Register(Uri graphApiBaseUrl, Action<MetaGraphOptions>? configure = null,
        ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddMetaGraphClient(options =>
        {
            options.GraphApiBaseUrl = graphApiBaseUrl.ToString();
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The client over a stub handler, without retries: for response shapes a real server rarely sends.</summary>
    public static MetaGraphClient OverStub(StubHttpHandler handler, MetaGraphOptions? options = null)
    {
        options ??= new MetaGraphOptions { GraphApiBaseUrl = "https://graph.test" };
        var http = new HttpClient(handler) { BaseAddress = options.VersionedBaseAddress };
        return new MetaGraphClient(http, Options.Create(options), NullLogger<MetaGraphClient>.Instance, TimeProvider.System);
    }
}
