using Gateway.Configuration;
using Gateway.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Inbox;

public static class InboxServices
{
    /// <summary>The inbox event spine: the intake, the bus (through Redis when <c>ConnectionStrings:Redis</c> is set, else
    /// in this process), the live feed and the consumers every gateway has (cache invalidation, then subscribers).</summary>
    public static IHostApplicationBuilder AddInboxEvents(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<InboxOptions>(InboxOptions.Section);
        services.AddSingleton<InboxEventHistory>();
        services.AddSingleton<InboxConsumers>();
        services.AddSingleton<InboxEventFeed>();
        services.AddSingleton<PersonConversations>();
        services.AddHostedService(provider => provider.GetRequiredService<PersonConversations>());
        services.AddSingleton<InboxIntake>();
        services.AddHostedService(provider => provider.GetRequiredService<InboxIntake>());
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            services.AddSingleton<RedisInboxEventBus>();
            services.AddSingleton<IInboxEventBus>(provider => provider.GetRequiredService<RedisInboxEventBus>());
            services.AddHostedService(provider => provider.GetRequiredService<RedisInboxEventBus>());
            services.AddHealthChecks().AddCheck<InboxSpineHealth>(InboxSpineHealth.Name, HealthStatus.Degraded, tags: [HealthEndpoints.Ready]);
        }
        else
        {
            services.AddSingleton<IInboxEventBus, InProcessInboxEventBus>();
        }
        services.AddInboxEventConsumer<InboxCacheInvalidation>(InboxDelivery.EveryInstance);
        services.AddInboxEventConsumer<InboxEventHub>(InboxDelivery.EveryInstance);
        services.AddSingleton<IInboxHistoryGapListener>(provider => provider.GetRequiredService<InboxEventHub>());
        return builder;
    }

    /// <summary>Registers a consumer of every inbox event; consumers run in the order they are registered.</summary>
    public static IServiceCollection AddInboxEventConsumer<TConsumer>(this IServiceCollection services, InboxDelivery delivery)
        where TConsumer : class, IInboxEventConsumer
    {
        services.AddSingleton<TConsumer>();
        services.AddSingleton(new InboxConsumerRegistration(typeof(TConsumer), delivery));
        return services;
    }
}
