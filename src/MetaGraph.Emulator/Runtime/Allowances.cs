using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Errors;
using MetaGraph.Emulator.Graph;

namespace MetaGraph.Emulator.Runtime;

/// <summary>Meta's per-API allowances as configured (each off until set): a charge is counted in its window and noted in
/// the usage report, and one that goes over fails with that API's error after its usage is noted, so the error carries
/// the usage headers too.</summary>
internal sealed class Allowances(Func<EmulatorRuntimeConfig> config, RateLimiter limiter)
{
    /// <summary>Charges a read to the Conversations API (80006 past it) and to the rest of the Messenger API (80006 past it).</summary>
    public void ChargeRead(PageData page, ReadCost cost, UsageReport usage)
    {
        var runtime = config();
        if (cost.Conversations > 0 && runtime.RateLimitPerSecond is { } perSecond)
        {
            Charge(RatedApi.Conversations, page.PageId, page.PageId, cost.Conversations, perSecond, usage, GraphErrors.MessengerRateLimited);
        }
        if (cost.Profiles > 0 && ProfileAllowance(runtime, page) is { } perDay)
        {
            Charge(RatedApi.Profiles, page.PageId, page.PageId, cost.Profiles, perDay, usage, GraphErrors.MessengerRateLimited);
        }
    }

    /// <summary>Charges one Send API call: audio and video to their own per-second allowance, everything else to the main
    /// one, and a message also to its thread's allowance (not a business-use-case limit, so not reported). Past any: 613.</summary>
    public void ChargeSend(PageData page, ConversationData thread, bool media, bool message, UsageReport usage)
    {
        var runtime = config();
        var instagram = thread.Platform == InboxPlatform.Instagram;
        var (api, perSecond) = media ? (RatedApi.SendMedia, runtime.SendMediaCallsPerSecond) : (RatedApi.Send, runtime.SendCallsPerSecond);
        if (perSecond is { } limit)
        {
            Charge(api, page.PageId, page.PageId, 1, limit, usage, () => GraphErrors.SendRateLimited(instagram));
        }
        if (message && runtime.ThreadMessagesPerMinute is { } perThread)
        {
            Charge(RatedApi.Thread, page.PageId, thread.Id, 1, perThread, usage: null, () => GraphErrors.SendRateLimited(instagram));
        }
    }

    public void Reset() => limiter.Reset();

    /// <summary>A fixed allowance when one is set, else Meta's 200 (or the configured number) per engaged user.</summary>
    private static int? ProfileAllowance(EmulatorRuntimeConfig runtime, PageData page)
        => runtime.ProfileCallsPerDay ?? runtime.ProfileCallsPerEngagedUser * page.EngagedUsers;

    private void Charge(RatedApi api, string pageId, string scope, int calls, int limit, UsageReport? usage, Func<GraphError> refusal)
    {
        var decision = limiter.Consume(api, pageId, scope, calls, limit);
        usage?.Add(decision);
        if (!decision.Allowed)
        {
            throw refusal();
        }
    }
}
