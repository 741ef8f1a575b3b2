using System.Net;
using MetaGraph;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Microsoft.Extensions.DependencyInjection;

public static class MetaGraphServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IMetaGraphClient"/> with options read from the <c>Meta</c> section of
    /// <paramref name="configuration"/> (the application's configuration), or defaults when it is null.</summary>
    public static IHttpClientBuilder AddMetaGraphClient(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<MetaGraphOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(MetaGraphOptions.SectionName));
        }
        return services.AddMetaGraphHttpClient();
    }

    /// <summary>Registers <see cref="IMetaGraphClient"/> with options set in code.</summary>
    public static IHttpClientBuilder AddMetaGraphClient(this IServiceCollection services, Action<MetaGraphOptions> configure)
    {
        services.AddOptions<MetaGraphOptions>().Configure(configure);
        return services.AddMetaGraphHttpClient();
    }

    /// <summary>Registers <see cref="IMetaSendClient"/>, Meta's Send API, on an HttpClient pipeline of its own without any
    /// retry: a send whose answer is lost may have been delivered, so sending it again is the caller's decision. Its calls
    /// are bounded by <see cref="MetaGraphOptions.SendTimeout"/>. Uses the options <see cref="AddMetaGraphClient(IServiceCollection, IConfiguration?)"/> binds.</summary>
    public static IHttpClientBuilder AddMetaSendClient(this IServiceCollection services)
    {
        services.AddMetaGraphOptionsChecks();
        return services.AddHttpClient<IMetaSendClient, MetaGraphClient>((provider, client) => Configure(provider, client, options => options.SendTimeout))
            .WithGraphConnections()
            .OneForTheProcess<IMetaSendClient>();
    }

    private static IHttpClientBuilder AddMetaGraphHttpClient(this IServiceCollection services)
    {
        services.AddMetaGraphOptionsChecks();
        // The resilience pipeline's total timeout bounds every read.
        var builder = services.AddHttpClient<IMetaGraphClient, MetaGraphClient>((provider, client) => Configure(provider, client, _ => Timeout.InfiniteTimeSpan))
            .WithGraphConnections()
            .OneForTheProcess<IMetaGraphClient>();
        builder.AddStandardResilienceHandler(ConfigureResilience);
        // The same client, on the same pipeline, for the ID Matching API.
        services.TryAddTransient<IMetaIdMatchingClient>(provider => (MetaGraphClient)provider.GetRequiredService<IMetaGraphClient>());
        return builder;
    }

    private static void AddMetaGraphOptionsChecks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetaGraphOptions>, MetaGraphOptionsValidator>());
        services.AddOptions<MetaGraphOptions>().ValidateOnStart();
    }

    private static void Configure(IServiceProvider provider, HttpClient client, Func<MetaGraphOptions, TimeSpan> timeout)
    {
        var options = provider.GetRequiredService<IOptions<MetaGraphOptions>>().Value;
        client.BaseAddress = options.VersionedBaseAddress;
        // HTTP/2 where the server offers it over TLS; plain-http emulators get HTTP/1.1 keep-alive.
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        client.Timeout = timeout(options);
    }

    private static IHttpClientBuilder WithGraphConnections(this IHttpClientBuilder builder) => builder
        .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
        // The pooled handler renews its own connections (PooledConnectionLifetime), so the factory need not rotate it.
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
        // The factory's default logging writes full request URLs, which carry the access token;
        // MetaGraphClient logs each call itself without it.
        .RemoveAllLoggers();

    /// <summary>One client per pipeline for the whole process, as HttpClient is meant to be used: its handler never rotates
    /// (<see cref="WithGraphConnections"/>), so a client per resolution would only cost a chain of allocations on every
    /// request.</summary>
    private static IHttpClientBuilder OneForTheProcess<TClient>(this IHttpClientBuilder builder) where TClient : class
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(provider => (TClient)(object)provider
            .GetRequiredService<ITypedHttpClientFactory<MetaGraphClient>>()
            .CreateClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(builder.Name))));
        return builder;
    }

    /// <summary>Connection behaviour towards the Graph API, in one place.</summary>
    private static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        // Renewing connections picks up DNS changes of the Graph API host.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        EnableMultipleHttp2Connections = true,
    };

    /// <summary>Retries and timeouts, in one place. Only transient failures are retried: 5xx, 408, timeouts and
    /// connection failures. A 4xx (including Meta's rate-limit and auth errors) is an answer, never retried.</summary>
    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome));
        options.CircuitBreaker.ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome));
        // Meta answers a few percent of calls with transient errors on a normal day; open only when most calls fail.
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 20;
        // Calls beyond the concurrency limit wait for a slot instead of failing at once.
        options.RateLimiter.DefaultRateLimiterOptions.QueueLimit = 10_000;
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
