using System.Net;
using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Ingestion;

public sealed class ClientIpResolverTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.2");

    private static ClientIpResolver Resolver(params string[] trusted) =>
        new(Options.Create(new IngestionOptions { TrustedProxies = [.. trusted] }));

    [Fact]
    public void Without_a_remote_address_there_is_no_client() => Assert.Null(Resolver().Resolve(null, "1.2.3.4"));

    [Fact]
    public void A_direct_client_is_its_connection_address() =>
        Assert.Equal(Client, Resolver("10.0.0.2").Resolve(Client, null));

    [Theory]
    [InlineData("6.6.6.6")]
    [InlineData("6.6.6.6, 10.0.0.2")]
    [InlineData("127.0.0.1")]
    public void A_spoofed_header_from_an_untrusted_peer_is_ignored(string forwardedFor) =>
        Assert.Equal(Client, Resolver("10.0.0.2", "127.0.0.1").Resolve(Client, forwardedFor));

    [Fact]
    public void Behind_a_trusted_proxy_the_forwarded_client_is_used() =>
        Assert.Equal(Client, Resolver("10.0.0.2").Resolve(Proxy, "203.0.113.9"));

    [Fact]
    public void The_rightmost_untrusted_hop_wins_so_a_client_cannot_prepend_a_fake_address() =>
        Assert.Equal(Client, Resolver("10.0.0.2").Resolve(Proxy, "6.6.6.6, 203.0.113.9"));

    [Fact]
    public void Chains_of_trusted_proxies_are_walked_past() =>
        Assert.Equal(Client, Resolver("10.0.0.2", "10.0.0.3", "10.0.0.4").Resolve(Proxy, "6.6.6.6,203.0.113.9 , 10.0.0.4,10.0.0.3"));

    [Theory]
    [InlineData("6.6.6.6, 203.0.113.9, , 10.0.0.3,")]
    [InlineData(" ,6.6.6.6,203.0.113.9,\t,10.0.0.3 ")]
    [InlineData("203.0.113.9,,,10.0.0.3")]
    [InlineData("203.0.113.9, , ")]
    public void Blank_hops_are_skipped_wherever_they_are(string forwardedFor) =>
        Assert.Equal(Client, Resolver("10.0.0.2", "10.0.0.3").Resolve(Proxy, forwardedFor));

    [Fact]
    public void If_every_hop_is_trusted_the_leftmost_is_used() =>
        Assert.Equal(IPAddress.Parse("10.0.0.3"), Resolver("10.0.0.2", "10.0.0.3").Resolve(Proxy, "10.0.0.3"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,")]
    public void An_empty_header_from_a_trusted_proxy_leaves_the_proxy(string forwardedFor) =>
        Assert.Equal(Proxy, Resolver("10.0.0.2").Resolve(Proxy, forwardedFor));

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("6.6.6.6, garbage")]
    public void An_unparsable_hop_stops_the_walk_without_trusting_what_lies_beyond(string forwardedFor)
    {
        var resolved = Resolver("10.0.0.2").Resolve(Proxy, forwardedFor);

        Assert.Equal(Proxy, resolved);
        Assert.NotEqual(IPAddress.Parse("6.6.6.6"), resolved);
    }

    [Fact]
    public void An_unparsable_hop_beyond_a_trusted_one_leaves_the_last_trusted_address() =>
        Assert.Equal(IPAddress.Parse("10.0.0.3"), Resolver("10.0.0.2", "10.0.0.3").Resolve(Proxy, "garbage, 10.0.0.3"));

    [Fact]
    public void Ipv4_mapped_addresses_are_normalized_for_both_trust_and_result()
    {
        var mappedProxy = IPAddress.Parse("::ffff:10.0.0.2");

        Assert.Equal(Client, Resolver("10.0.0.2").Resolve(mappedProxy, "::ffff:203.0.113.9"));
        Assert.Equal(Client, Resolver("10.0.0.2").Resolve(IPAddress.Parse("::ffff:203.0.113.9"), null));
    }

    [Fact]
    public void Ipv6_hops_are_understood()
    {
        var client = IPAddress.Parse("2001:db8::7");

        Assert.Equal(client, Resolver("::1").Resolve(IPAddress.IPv6Loopback, "2001:db8::7"));
    }

    [Fact]
    public void By_default_no_proxy_is_trusted_not_even_loopback()
    {
        var resolver = new ClientIpResolver(Options.Create(new IngestionOptions()));

        Assert.Equal(IPAddress.Loopback, resolver.Resolve(IPAddress.Loopback, "203.0.113.9"));
        Assert.Equal(IPAddress.IPv6Loopback, resolver.Resolve(IPAddress.IPv6Loopback, "203.0.113.9"));
        Assert.Equal(Proxy, resolver.Resolve(Proxy, "203.0.113.9"));
    }
}
