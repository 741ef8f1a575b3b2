using System.Net;
using System.Net.Sockets;

namespace Tests.Shared;

/// <summary>
/// Ports for servers a test starts (the gateway, redis-server, PostgreSQL). A port the OS hands out for port 0 lies in the
/// ephemeral range, which every outgoing connection on the machine also draws from: between our check and the server's
/// bind, one of them can take it. Ports below that range are never taken that way, so they are chosen from there, at
/// random, each checked free and never handed out twice by this process.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Random Random = new();

    public static int Next()
    {
        var below = EphemeralRangeStart();
        lock (HandedOut)
        {
            while (true)
            {
                var port = Random.Next(Lowest, below);
                if (HandedOut.Add(port) && IsFree(port))
                {
                    return port;
                }
            }
        }
    }

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var start = File.Exists(range) ? int.Parse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0]) : 32_768;
        return Math.Max(start, Lowest + 1_000);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
