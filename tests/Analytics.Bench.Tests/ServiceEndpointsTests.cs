using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Analytics.Testing;

namespace Analytics.Bench.Tests;

/// <summary>The reachability check the bench and the tests run before they use a server.</summary>
public sealed class ServiceEndpointsTests
{
    [Fact]
    public void A_port_with_a_listener_is_reachable_by_address_and_by_name()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.True(ServiceEndpoints.CanConnect($"127.0.0.1:{port}"));
        Assert.True(ServiceEndpoints.CanConnect($"localhost:{port}"));
    }

    [Fact]
    public void A_port_without_a_listener_is_unreachable_at_once()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var clock = Stopwatch.StartNew();
        Assert.False(ServiceEndpoints.CanConnect($"127.0.0.1:{port}"));
        // Refused, not timed out: the loopback answers a closed port at once.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_name_that_does_not_resolve_is_unreachable()
    {
        Assert.False(ServiceEndpoints.CanConnect("no-such-host.invalid:9092"));
    }
}
