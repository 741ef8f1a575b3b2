using Gateway.Configuration;
using Gateway.Inbox;

namespace Gateway.Sending;

public static class SendingServices
{
    /// <summary>Replies through Meta's Send API: the messaging windows (learnt from the spine before subscribers hear of an
    /// event, so a reply prompted by one finds its window known), idempotency records (in Redis when
    /// <c>ConnectionStrings:Redis</c> is set, else in memory), thread pacing, and the send itself.</summary>
    public static IHostApplicationBuilder AddMessageSending(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SendOptions>(SendOptions.Section);
        services.AddSingleton<ThreadPacing>();
        services.AddSingleton<MessageSender>();
        services.AddScoped<ReplyThreads>();
        services.AddScoped<MessageDelivery>();
        services.AddScoped<Outbox>();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 })
        {
            services.AddSingleton<ISendRecords, RedisSendRecords>();
        }
        else
        {
            services.AddSingleton<ISendRecords, MemorySendRecords>();
        }
        services.AddInboxEventConsumer<MessagingWindows>(InboxDelivery.EveryInstance);
        services.AddInboxEventConsumer<SendEchoes>(InboxDelivery.EveryInstance);
        return builder;
    }
}
