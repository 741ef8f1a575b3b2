using System.Diagnostics;

namespace Gateway.Benchmarks;

/// <summary>Debian's <c>redis-server</c> on a free loopback port without persistence, for the scale-out scenario.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        ConnectionString = $"127.0.0.1:{port}";
    }

    public string ConnectionString { get; }

    public static async Task<RedisProcess> StartAsync()
    {
        var port = FreePorts.Next();
        var process = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new RedisProcess(process, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(25);
            }
        }
        throw new InvalidOperationException("redis-server did not start.");
    }

    /// <summary>CPU time redis-server has used so far.</summary>
    public TimeSpan CpuTime() => ChildProcesses.CpuTime(_process);

    public async ValueTask DisposeAsync() => await ChildProcesses.StopAsync(_process);
}
