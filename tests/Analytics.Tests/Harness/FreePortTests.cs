using System.Net;
using System.Net.Sockets;
using Analytics.Testing;

namespace Analytics.Tests.Harness;

public sealed class FreePortTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_below_the_kernels_ephemeral_range()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            System.Globalization.CultureInfo.InvariantCulture);
        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1024, ephemeralStart - 1));
        foreach (var port in ports.Take(5))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
