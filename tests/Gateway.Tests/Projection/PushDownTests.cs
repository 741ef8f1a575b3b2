using Gateway.DataLoading;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Projection;

/// <summary>
/// Push-down turns the selection into Graph API field expansion: the exact <c>fields=</c> sent is asserted, and the
/// answer must equal, byte for byte, what the naive one-call-per-object mode answers.
/// </summary>
public sealed class PushDownTests(SharedGatewayHosts hosts) : IClassFixture<SharedGatewayHosts>
{
    public static TheoryData<string, string, object?, string> Queries => new()
    {
        {
            "named fragments",
            """
            query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 4) { nodes { ...Thread } } } }
            fragment Thread on Conversation { id snippet messages(first: 3) { nodes { ...Line } } }
            fragment Line on Message { id from { name } message }
            """,
            null,
            "id,snippet,messages.limit(3){id,created_time,from,message}"
        },
        {
            "inline fragments and edges",
            """
            query($page: ID!) { page(id: $page) { conversations(platform: INSTAGRAM, first: 3) {
              edges { cursor node { ... on Conversation { id updatedTime participants { username } }
                                     messages(first: 2) { edges { node { id ... { to { username } attachments { type url } } } } } } } } } }
            """,
            null,
            "id,updated_time,participants,messages.limit(2){id,created_time,to,attachments{id,mime_type,image_data,video_data,file_url,name,size}}"
        },
        {
            "@include and @skip with variables",
            """
            query($page: ID!, $withText: Boolean!, $withoutCount: Boolean!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) {
              nodes { id messageCount @skip(if: $withoutCount) messages(first: 4) { nodes { id message @include(if: $withText) sticker @skip(if: $withText) } } } } } }
            """,
            new { withText = false, withoutCount = true },
            "id,messages.limit(4){id,created_time,sticker}"
        },
        {
            "aliases of one field with the same arguments",
            """
            query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 3) {
              nodes { id latest: messages(first: 2) { nodes { id from { id } } } again: messages(first: 2) { nodes { id text: message } } } } } }
            """,
            null,
            "id,messages.limit(2){id,created_time,from,message}"
        },
        {
            "a skipped connection",
            """
            query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 5) { nodes { id messages @skip(if: true) { nodes { id } } } } } }
            """,
            null,
            "id"
        },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Selection_becomes_exactly_these_fields_in_one_call_with_the_naive_answer(string name, string query, object? variables, string fields)
    {
        Assert.NotEmpty(name);
        var pushDown = await hosts.ForTestAsync();
        var naive = await hosts.ForTestAsync(ExecutionMode.Naive);
        var allVariables = Merge(variables, pushDown.Page.PageId);

        var expected = await naive.QueryAsync(query, allVariables);
        var actual = await pushDown.QueryAsync(query, allVariables);

        Assert.Null(actual["errors"]);
        Assert.Equal(expected.Compact(), actual.Compact());
        var call = Assert.Single(pushDown.UpstreamCalls);
        Assert.Equal(fields, call.Fields());
    }

    [Fact]
    public async Task Aliases_with_different_arguments_fall_back_to_one_batched_call()
    {
        const string query = """
            query($page: ID!) { page(id: $page) { conversations(platform: MESSENGER, first: 6) {
              nodes { id latest: messages(first: 2) { nodes { id message } } more: messages(first: 5) { nodes { id message } } } } } }
            """;
        var pushDown = await hosts.ForTestAsync();
        var naive = await hosts.ForTestAsync(ExecutionMode.Naive);

        var expected = await naive.QueryAsync(query, new { page = naive.Page.PageId });
        var actual = await pushDown.QueryAsync(query, new { page = pushDown.Page.PageId });

        Assert.Equal(expected.Compact(), actual.Compact());
        Assert.Equal(2, pushDown.UpstreamCalls.Count);
        Assert.Equal("id,messages.limit(2){id,created_time,message}", pushDown.UpstreamCalls[0].Fields());
        Assert.Equal("id,messages.limit(5){id,created_time,message}", pushDown.UpstreamCalls[1].Fields());
        Assert.Contains("ids=", pushDown.UpstreamCalls[1].Query);
    }

    /// <summary>The Graph fields each shipped operation's one call asks for (a mutation's one read); an operation added to the
    /// folder without an entry here fails the test until it has one.</summary>
    private static readonly Dictionary<string, string> ShippedOperationFields = new()
    {
        ["inbox"] = "id,updated_time,participants,unread_count,snippet,messages.limit(10){id,created_time,from,message}",
        ["thread"] = "id,participants,messages.limit(20){id,created_time,from,to,message,attachments{id,mime_type,image_data,video_data,file_url,name,size},sticker,reply_to}",
        ["find-by-user"] = "id,updated_time,participants,messages.limit(5){id,created_time,from,message}",
        ["reply"] = "id,participants,messages.limit(20){id,created_time,from}",
    };

    public static TheoryData<string> ShippedOperations => new(Directory.GetFiles(Path.Combine(GatewayHost.RepositoryRoot, "schema", "operations"), "*.graphql")
        .Select(Path.GetFileNameWithoutExtension).Order()!);

    /// <summary>Every operation in <c>schema/operations</c>, on its first page and on the next (with <c>after</c>, when it
    /// pages), is one Graph call with exactly its fields, and answers as the naive and batched modes do. A mutation is one
    /// read with exactly its fields and one Send API call in each mode (see <see cref="OneReadAndOneSendInEachModeAsync"/>).</summary>
    [Theory]
    [MemberData(nameof(ShippedOperations))]
    public async Task Every_operation_in_schema_operations_is_one_call_on_each_page_with_exactly_its_fields_and_the_naive_answer(string operation)
    {
        Assert.True(ShippedOperationFields.TryGetValue(operation, out var fields), $"add the fields {operation}.graphql reads to this test");
        var text = GatewayHost.Operation(operation);
        if (text.Contains("mutation ", StringComparison.Ordinal))
        {
            await OneReadAndOneSendInEachModeAsync(text, fields);
            return;
        }
        var pushDown = await hosts.ForTestAsync();
        var batched = await hosts.ForTestAsync(ExecutionMode.Batched);
        var naive = await hosts.ForTestAsync(ExecutionMode.Naive);
        var conversation = (await pushDown.QueryAsync($$"""query { page(id: "{{pushDown.Page.PageId}}") { conversations(platform: MESSENGER, first: 1) { nodes { id participants { id metaId } } } } }"""))
            .At("data.page.conversations.nodes.0")!;
        var conversationId = conversation["id"]!.GetValue<string>();
        var userId = conversation["participants"]!.AsArray().First(p => p!["metaId"]!.GetValue<string>() != pushDown.Page.PageId)!["id"]!.GetValue<string>();
        var variables = new Dictionary<string, object?>(operation switch
        {
            "inbox" => [new("pageId", pushDown.Page.PageId)],
            "thread" => [new("conversationId", conversationId)],
            _ => [new("pageId", pushDown.Page.PageId), new("platform", "MESSENGER"), new KeyValuePair<string, object?>("userId", userId)],
        });

        var firstPage = await OneCallAsync(text, variables, fields);
        if (text.Contains("$after", StringComparison.Ordinal))
        {
            var endCursor = firstPage.ToJsonString().Split("\"endCursor\":\"")[1].Split('"')[0];
            variables["after"] = endCursor;
            await OneCallAsync(text, variables, null);
        }

        async Task<System.Text.Json.Nodes.JsonObject> OneCallAsync(string query, Dictionary<string, object?> values, string? expectedFields)
        {
            pushDown.Emulator.ResetRequests();
            naive.Emulator.ResetRequests();
            var expected = await naive.QueryAsync(query, values);
            Assert.Null(expected["errors"]);
            Assert.Equal(expected.Compact(), (await pushDown.QueryAsync(query, values)).Compact());
            Assert.Equal(expected.Compact(), (await batched.QueryAsync(query, values)).Compact());
            var call = Assert.Single(pushDown.UpstreamCalls);
            if (expectedFields is not null)
            {
                // (On the next page the naive gateway answers part of it from its cache.)
                Assert.Equal(expectedFields, call.Fields());
                Assert.True(naive.UpstreamCalls.Count > 1, $"naive made {naive.UpstreamCalls.Count} calls");
            }
            return expected;
        }
    }

    /// <summary>A reply changes its emulator's data, so each mode gets a gateway and an emulator of its own (the same seed): a
    /// person writes (no webhook tells the gateway), and the reply is one read of the thread (its person and window) and one
    /// Send API call, answered alike in every mode but for the time each gateway sent at.</summary>
    private static async Task OneReadAndOneSendInEachModeAsync(string mutation, string fields)
    {
        var answers = new List<string>();
        foreach (var mode in (ExecutionMode[])[ExecutionMode.PushDown, ExecutionMode.Batched, ExecutionMode.Naive])
        {
            await using var host = await GatewayHost.StartAsync(mode: mode);
            var (conversationId, _) = host.Person();
            await host.MakePersonWriteAsync(new { pageId = host.Page.PageId, platform = "messenger", conversationId, text = "Hello?" });
            host.Emulator.ResetRequests();

            var answer = await host.QueryAsync(mutation, new { input = new { conversationId, text = "One read, one send.", idempotencyKey = "push-down-1" } });

            Assert.Null(answer["errors"]);
            Assert.Null(answer.At("data.sendMessage.errors"));
            Assert.Collection(host.UpstreamCalls,
                read => Assert.Equal(fields, read.Fields()),
                send => Assert.Equal(("POST", $"/v25.0/{host.Page.PageId}/messages"), (send.Method, send.Path)));
            answer.At("data.sendMessage.message")!.AsObject().Remove("createdTime");
            answers.Add(answer.Compact());
        }
        Assert.Single(answers.Distinct());
    }

    private static Dictionary<string, object?> Merge(object? variables, string pageId)
    {
        var merged = new Dictionary<string, object?> { ["page"] = pageId };
        foreach (var property in variables?.GetType().GetProperties() ?? [])
        {
            merged[property.Name] = property.GetValue(variables);
        }
        return merged;
    }
}
