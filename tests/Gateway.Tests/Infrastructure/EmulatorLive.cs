using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaGraph.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>The emulator's living inbox, driven over HTTP as a developer drives it with curl.</summary>
public static class EmulatorLive
{
    /// <summary>Points the emulator's webhooks at the gateway's <c>/webhooks/meta</c> (the handshake happens first).</summary>
    public static Task ConnectEmulatorWebhooksAsync(this GatewayHost host, EmulatorRuntimeConfig? faults = null)
        => host.Emulator.ConfigureAsync((faults ?? new EmulatorRuntimeConfig()) with
        {
            WebhookUrl = new Uri(host.Client.BaseAddress!, "/webhooks/meta").ToString(),
            AppSecret = MetaWebhooks.AppSecret,
            WebhookVerifyToken = MetaWebhooks.VerifyToken,
        });

    /// <summary><c>POST /_emulator/messages</c>: a person writes (one change, or an array of them).</summary>
    public static Task<JsonNode> MakePersonWriteAsync(this GatewayHost host, object change) => PostAsync(host.Emulator.BaseAddress, change);

    public static Task<JsonNode> PostAsync(Uri emulator, object change) => ChangeAsync(emulator, "messages", change);

    /// <summary><c>POST /_emulator/{kind}</c> of the host's emulator: <c>reactions</c>, <c>unsends</c>, <c>reads</c>… (one change, or an array of them).</summary>
    public static Task<JsonNode> ChangeInboxAsync(this GatewayHost host, string kind, object change) => ChangeAsync(host.Emulator.BaseAddress, kind, change);

    /// <summary><c>POST /_emulator/{kind}</c>: a change of the living inbox (<c>messages</c>, <c>reads</c>, <c>reactions</c>,
    /// <c>availability</c>, …).</summary>
    public static async Task<JsonNode> ChangeAsync(Uri emulator, string kind, object change)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        using var response = await http.PostAsJsonAsync("_emulator/" + kind, change);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}
