using System.Text;
using System.Text.Json.Nodes;
using Gateway.Projection;
using Gateway.Tests.Infrastructure;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Projection;

/// <summary>
/// Every field of the types read from Graph API declares where its data comes from, and push-down asks for all of it:
/// the test walks the schema, so a field added without a mapping, or whose mapping push-down ignores, fails here.
/// </summary>
public sealed class GraphMappingTests
{
    /// <summary>The object types whose fields come from Graph API; the walk must reach every one of them.</summary>
    private static readonly string[] GraphTypes = ["Conversation", "Message", "Participant", "Attachment", "Share", "StoryReference", "Reaction"];

    [Fact]
    public async Task Every_field_of_a_type_read_from_graph_declares_its_graph_mapping()
    {
        await using var host = await GatewayHost.StartAsync();
        var schema = host.Services.GetRequiredService<ISchema>();

        var reached = new Dictionary<string, IComplexGraphType>();
        Walk((IComplexGraphType)schema.AllTypes["Conversation"]!, reached);

        Assert.Equal(GraphTypes.Order(), reached.Keys.Order());
        var unmapped = reached.Values.SelectMany(type => type.Fields.Where(field => GraphMapping.Of(field) is not { } mapping
            || mapping.Fields.Count == 0 && mapping.Profile is not { Count: > 0 }).Select(field => $"{type.Name}.{field.Name}")).ToList();
        Assert.Empty(unmapped);
    }

    [Fact]
    public async Task The_inbox_with_every_field_selected_is_one_call_that_asks_for_every_mapped_graph_field()
    {
        // Every field of 20 messages of 10 conversations is more than the default complexity allows.
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Limits:MaxComplexity"] = "1000000" });
        var schema = host.Services.GetRequiredService<ISchema>();
        var conversation = (IComplexGraphType)schema.AllTypes["Conversation"]!;
        var message = (IComplexGraphType)schema.AllTypes["Message"]!;
        var answered = new HashSet<string>();

        foreach (var platform in (string[])["MESSENGER", "INSTAGRAM"])
        {
            host.Emulator.ResetRequests();
            var result = await host.QueryAsync(
                $$"""{ page(id: "{{host.Page.PageId}}") { conversations(platform: {{platform}}, first: 10) { nodes { {{Selection(conversation)}} } } } }""");

            Assert.True(result["errors"] is null, result["errors"]?.ToJsonString());
            var call = Assert.Single(host.UpstreamCalls);
            var fields = GraphFieldTree.Parse(call.Fields()!);
            AssertAsksForEveryMappedField(conversation, fields);
            AssertAsksForEveryMappedField(message, fields["messages"]!);
            foreach (var node in result.At("data.page.conversations.nodes")!.AsArray().SelectMany(c => c!.At("messages.nodes")!.AsArray()))
            {
                answered.UnionWith(node!.AsObject().Where(p => p.Value is not null and not JsonArray { Count: 0 }).Select(p => p.Key));
            }
        }
        // Not vacuous: the seeded inboxes give every message field a value somewhere.
        Assert.Equal(message.Fields.Select(f => f.Name).Order(), answered.Order());
    }

    /// <summary>Every Graph field the type's mappings name is in the call, with the subfields of expanded lists.</summary>
    private static void AssertAsksForEveryMappedField(IComplexGraphType type, GraphFieldTree call)
    {
        foreach (var field in type.Fields)
        {
            var mapping = GraphMapping.Of(field);
            Assert.True(mapping is not null, $"{type.Name}.{field.Name} has no Graph mapping");
            foreach (var name in mapping.Fields)
            {
                Assert.True(call[name] is not null, $"{type.Name}.{field.Name} maps {name}, which is missing from {call}");
                if (mapping.Expand)
                {
                    AssertAsksForEveryMappedField((IComplexGraphType)field.ResolvedType!.GetNamedType(), call[name]!);
                }
            }
        }
    }

    private static void Walk(IComplexGraphType type, Dictionary<string, IComplexGraphType> reached)
    {
        if (!reached.TryAdd(type.Name, type))
        {
            return;
        }
        foreach (var field in type.Fields)
        {
            var named = field.ResolvedType!.GetNamedType();
            if (GraphMapping.Of(field) is { Edge: true })
            {
                named = ((IComplexGraphType)named).GetField("nodes")!.ResolvedType!.GetNamedType();
            }
            if (named is IComplexGraphType child)
            {
                Walk(child, reached);
            }
        }
    }

    /// <summary>Every field of the type, recursively; edges with their first 20 nodes. Fields only a user profile read
    /// gives are left out: they cost a call of their own (see ParticipantProfileTests).</summary>
    private static string Selection(IComplexGraphType type)
    {
        var selection = new StringBuilder();
        foreach (var field in type.Fields)
        {
            var mapping = GraphMapping.Of(field);
            if (mapping is { Fields.Count: 0 })
            {
                continue;
            }
            var named = field.ResolvedType!.GetNamedType();
            if (mapping is { Edge: true })
            {
                var nodes = ((IComplexGraphType)named).GetField("nodes")!.ResolvedType!.GetNamedType();
                selection.Append($"{field.Name}(first: 20) {{ nodes {{ {Selection((IComplexGraphType)nodes)} }} }} ");
            }
            else
            {
                selection.Append(named is IComplexGraphType child ? $"{field.Name} {{ {Selection(child)} }} " : $"{field.Name} ");
            }
        }
        return selection.ToString();
    }
}

/// <summary>A parsed <c>fields=</c> value: <c>id,messages.limit(20){id,from}</c>.</summary>
internal sealed class GraphFieldTree
{
    private readonly Dictionary<string, GraphFieldTree> _children = new(StringComparer.Ordinal);
    private string _text = "";

    public GraphFieldTree? this[string name] => _children.GetValueOrDefault(name);

    public override string ToString() => _text;

    public static GraphFieldTree Parse(string text)
    {
        var position = 0;
        var tree = List(text, ref position);
        Assert.Equal(text.Length, position);
        return tree;
    }

    private static GraphFieldTree List(string text, ref int position)
    {
        var tree = new GraphFieldTree();
        var start = position;
        while (position < text.Length && text[position] != '}')
        {
            var nameStart = position;
            while (position < text.Length && text[position] is not (',' or '{' or '}' or '.'))
            {
                position++;
            }
            var name = text[nameStart..position];
            while (position < text.Length && text[position] == '.')
            {
                position = text.IndexOf(')', position) + 1;
            }
            var child = new GraphFieldTree();
            if (position < text.Length && text[position] == '{')
            {
                position++;
                child = List(text, ref position);
                position++;
            }
            tree._children[name] = child;
            if (position < text.Length && text[position] == ',')
            {
                position++;
            }
        }
        tree._text = text[start..position];
        return tree;
    }
}
