using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// The webhook endpoint faces the internet unauthenticated until a delivery's signature is checked, which needs the whole
/// body. Senders without Meta's app secret must not be able to make the gateway hold their bodies: a delivery without a
/// well-formed signature is refused before its body is read, and only a bounded number are read at once.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class WebhookFloodTests
{
    private const int BodyBytes = 2 * 1024 * 1024;

    [Fact]
    public async Task A_delivery_without_a_well_formed_signature_is_refused_before_its_body_arrives()
    {
        await using var host = await GatewayHost.StartAsync(settings: MetaWebhooks.Settings());

        foreach (var signature in (string?[])[null, "sha256=not-hex", "sha1=" + new string('0', 40)])
        {
            using var socket = await ConnectAsync(host.Client.BaseAddress!);
            await SendHeadersAsync(socket, host.Client.BaseAddress!, signature);

            // Not one byte of the 2 MB body was sent.
            Assert.StartsWith("HTTP/1.1 401", await ReadStatusLineAsync(socket));
        }
    }

    [Fact]
    public async Task Two_hundred_unsigned_senders_holding_their_last_byte_leave_memory_flat_and_the_gateway_serving()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Meta__AppSecret"] = MetaWebhooks.AppSecret,
        });
        var before = gateway.ApplicationMegabytes("VmRSS");
        var body = new byte[BodyBytes];
        var wrongButWellFormed = "sha256=" + new string('a', 64);

        var senders = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            var socket = await ConnectAsync(gateway.Address);
            try
            {
                await SendHeadersAsync(socket, gateway.Address, wrongButWellFormed);
                await socket.SendAsync(body.AsMemory(0, BodyBytes - 1));
            }
            catch (SocketException)
            {
                // Refused (503) and cut off while sending: that is the point.
            }
            return socket;
        }));
        await Eventually.TrueAsync(() => senders.All(AnsweredOrTaken), TimeSpan.FromSeconds(60), "every sender to be answered or its bytes taken");
        var peak = gateway.ApplicationMegabytes("VmHWM");
        var statuses = await Task.WhenAll(senders.Select(async socket =>
        {
            using (socket)
            {
                try
                {
                    await socket.SendAsync(body.AsMemory(BodyBytes - 1, 1));
                }
                catch (SocketException)
                {
                }
                return await ReadStatusLineAsync(socket);
            }
        }));

        Assert.All(statuses, status => Assert.Matches("^(HTTP/1.1 (401|503|408)|closed)", status));
        Assert.Contains(statuses, status => status.StartsWith("HTTP/1.1 401", StringComparison.Ordinal));
        // 200 bodies of 2 MB are 400 MB; 16 read at once are 32 MB.
        Assert.True(peak - before < 150, $"resident set grew from {before:F0} MB to a peak of {peak:F0} MB");
        Assert.True((await gateway.Http.GetAsync("health/live")).IsSuccessStatusCode);
    }

    /// <summary>Whether the gateway answered this sender already (refused it) or took every byte it sent (nothing left in
    /// the sender's send queue, from <c>/proc/net/tcp</c>): either way the gateway holds what it will hold of it.</summary>
    private static bool AnsweredOrTaken(Socket socket)
    {
        if (socket.Poll(0, SelectMode.SelectRead))
        {
            return true;
        }
        var local = ":" + ((IPEndPoint)socket.LocalEndPoint!).Port.ToString("X4");
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[1].EndsWith(local, StringComparison.Ordinal))
            .All(fields => fields[4].StartsWith("00000000:", StringComparison.Ordinal));
    }

    private static async Task<Socket> ConnectAsync(Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        return socket;
    }

    private static Task SendHeadersAsync(Socket socket, Uri address, string? signature)
    {
        var headers = $"POST /webhooks/meta HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {BodyBytes}\r\n"
            + (signature is null ? "" : $"X-Hub-Signature-256: {signature}\r\n") + "\r\n";
        return socket.SendAsync(Encoding.ASCII.GetBytes(headers));
    }

    /// <summary>The response's status line, or "closed" when the server hung up without one.</summary>
    private static async Task<string> ReadStatusLineAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
            return read == 0 ? "closed" : Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }
        catch (SocketException)
        {
            return "closed";
        }
    }
}
