using MetaGraph.Emulator;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.Graph;

namespace MetaGraph.Tests.Integration;

/// <summary>Meta's ID Matching API through the client: a person's app-scoped id to their id on each of the app's Pages,
/// with the app's token only.</summary>
public sealed class IdMatchingTests : EmulatorTest
{
    private const string AppSecret = "emulator-app-secret-7d2e";

    protected override EmulatorOptions EmulatorOptions => new() { AppSecret = AppSecret };

    private IMetaIdMatchingClient Matching => Assert.IsAssignableFrom<IMetaIdMatchingClient>(Client);

    private string AppId => EmulatorOptions.AppId.ToString();

    [Fact]
    public async Task An_app_scoped_person_is_found_under_their_page_scoped_id_with_the_apps_token()
    {
        var person = Server.Data.Pages[0].Folder(InboxPlatform.Messenger)[0].Customer.Id;

        var ids = (await Matching.GetIdsForPagesAsync(AppId, AppSecret, IdMatching.AppScopedIdOf(person))).Value;

        var found = Assert.Single(ids.Data);
        Assert.Equal((person, Page.PageId), (found.Id, found.Page!.Id));
    }

    [Fact]
    public async Task A_token_that_is_not_the_apps_is_refused_and_never_repeated()
    {
        var person = Server.Data.Pages[0].Folder(InboxPlatform.Messenger)[0].Customer.Id;

        var refused = await Assert.ThrowsAsync<GraphApiException>(() => Matching.GetIdsForPagesAsync(AppId, "not-the-app-secret", IdMatching.AppScopedIdOf(person)));

        Assert.Equal(190, refused.Code);
        Assert.DoesNotContain("not-the-app-secret", refused.ToString());
        Assert.DoesNotContain(Logs.Lines, line => line.Contains("not-the-app-secret", StringComparison.Ordinal));
    }
}
