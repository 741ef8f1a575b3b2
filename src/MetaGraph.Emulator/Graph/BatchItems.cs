using System.Text.Json;
using MetaGraph.Emulator.Errors;

namespace MetaGraph.Emulator.Graph;

/// <summary>One item of a batch: <c>{"method":"GET","relative_url":"t_1/messages?limit=10"}</c>.</summary>
internal sealed record BatchItem(string Method, string RelativeUrl);

/// <summary>Reads the <c>batch</c> form field: a JSON array of at most 50 items.</summary>
internal static class BatchItems
{
    public const int MaxItems = 50;

    public static List<BatchItem> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw GraphErrors.InvalidParameter("(#100) The parameter batch is required");
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw NotAnArray();
            }
            var items = new List<BatchItem>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty("relative_url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    throw GraphErrors.InvalidParameter("(#100) Each batch item must be an object with a relative_url");
                }
                var method = element.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "GET";
                items.Add(new BatchItem(method, url.GetString()!));
            }
            return items.Count switch
            {
                0 => throw GraphErrors.InvalidParameter("(#100) The parameter batch must contain at least one request"),
                > MaxItems => throw GraphErrors.InvalidParameter($"(#100) Too many requests in batch message. Maximum batch size is {MaxItems}"),
                _ => items,
            };
        }
        catch (JsonException)
        {
            throw NotAnArray();
        }
    }

    private static GraphError NotAnArray() => GraphErrors.InvalidParameter("(#100) The parameter batch must be a JSON-encoded array");
}
