using Gateway.Tests.Infrastructure;
using Snapshooter.Xunit;

namespace Gateway.Tests.Conversations;

public sealed class InboxAnswerSnapshotTests
{
    /// <summary>The inbox operation's whole answer on the emulator's seeded data, as a reviewed snapshot
    /// (<c>__snapshots__/</c> beside this file): any change to what a frontend receives shows up as a diff. CI runs with
    /// <c>SNAPSHOOTER_STRICT_MODE=true</c>, so a missing snapshot fails instead of being written.</summary>
    [Fact]
    public async Task The_inbox_answer_on_the_seeded_data()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await host.QueryAsync(GatewayHost.Operation("inbox"), new { pageId = host.Page.PageId, conversations = 2, messages = 3 });

        Assert.Null(answer["errors"]);
        Snapshot.Match(answer.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
