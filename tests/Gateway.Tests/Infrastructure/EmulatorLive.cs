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

    public static async Task<JsonNode> PostAsync(Uri emulator, object change)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        using var response = await http.PostAsJsonAsync("_emulator/messages", change);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}
