using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MetaGraph.Emulator.Tests.Support;

/// <summary>One HTTP answer of the emulator, parsed.</summary>
public sealed partial record GraphAnswer(HttpStatusCode Status, string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public JsonObject Error => Json["error"]?.AsObject() ?? throw new InvalidOperationException($"Not a Graph error: {Body}");

    public int ErrorCode => Error["code"]!.GetValue<int>();

    public int? ErrorSubcode => Error["error_subcode"]?.GetValue<int>();

    /// <summary>Asserts the answer is a Graph error of this status and code, shaped as Meta shapes them.</summary>
    public JsonObject AssertError(HttpStatusCode status, int code)
    {
        Assert.True(status == Status, $"Expected {(int)status}, got {(int)Status}: {Body}");
        Assert.StartsWith("application/json", ContentType);
        AssertGraphErrorShape(Json);
        Assert.Equal(code, ErrorCode);
        return Error;
    }

    /// <summary><c>{"error":{"message","type","code","error_subcode"?,"is_transient"?,"fbtrace_id"}}</c> and nothing else.</summary>
    public static void AssertGraphErrorShape(JsonNode body)
    {
        var root = body.AsObject();
        Assert.Equal(["error"], root.Select(p => p.Key));
        var error = root["error"]!.AsObject();
        Assert.Subset(new HashSet<string> { "message", "type", "code", "error_subcode", "is_transient", "fbtrace_id" },
            error.Select(p => p.Key).ToHashSet());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["type"]!.GetValue<string>()));
        error["code"]!.GetValue<int>();
        Assert.Matches(TraceId(), error["fbtrace_id"]!.GetValue<string>());
        Assert.DoesNotContain("   at ", error["message"]!.GetValue<string>());
    }

    [GeneratedRegex("^[A-Za-z0-9]{11}$")]
    private static partial Regex TraceId();
}
