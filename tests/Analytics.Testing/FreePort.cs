using System.Net;
using System.Net.Sockets;

namespace Analytics.Testing;

public static class FreePort
{
    /// <summary>
    /// Ports are handed out below the kernel's ephemeral range (the source ports of outgoing connections, 32768–60999 by
    /// default): a port the OS picked from that range could be taken by some connection's source port before the process
    /// it was for bound it. A silo binds its HTTP port only after Orleans has started, seconds later, and a dashboard
    /// fixture once lost its port that way (every test of the class failed with "address already in use").
    /// </summary>
    private const int Lowest = 20_000;

    private static readonly HashSet<int> Given = [];
    private static readonly int Highest = EphemeralStart() - 1;

    /// <summary>A loopback port nobody listens on right now, not handed out before by this process.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; Highest > Lowest && attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (!Given.Contains(port) && TryListen(port))
                {
                    Given.Add(port);
                    return port;
                }
            }

            // An ephemeral range reaching down here, or nothing free below it: let the OS pick, as before.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var picked = ((IPEndPoint)listener.LocalEndpoint).Port;
            Given.Add(picked);
            return picked;
        }
    }

    private static bool TryListen(int port)
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

    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
