using System.Net;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// The client's address: the connection's, unless it comes from a trusted proxy; then X-Forwarded-For is walked from
/// the right past trusted proxies, so a client cannot forge its address by sending the header itself.
/// </summary>
public sealed class ClientIpResolver
{
    private readonly HashSet<IPAddress> _trusted;

    public ClientIpResolver(IOptions<IngestionOptions> options)
    {
        _trusted = [.. options.Value.TrustedProxies.Select(IPAddress.Parse).Select(Normalize)];
    }

    public IPAddress? Resolve(IPAddress? remote, string? forwardedFor)
    {
        if (remote is null)
        {
            return null;
        }

        var current = Normalize(remote);
        if (!_trusted.Contains(current) || string.IsNullOrWhiteSpace(forwardedFor))
        {
            return current;
        }

        // Walked in place from the right (blank hops skipped): splitting the header cost an array and a string per hop, per beacon.
        var rest = forwardedFor.AsSpan();
        while (true)
        {
            var comma = rest.LastIndexOf(',');
            var text = rest[(comma + 1)..].Trim();
            if (!text.IsEmpty)
            {
                if (!IPAddress.TryParse(text, out var hop))
                {
                    return current;
                }

                current = Normalize(hop);
                if (!_trusted.Contains(current))
                {
                    return current;
                }
            }

            if (comma < 0)
            {
                return current;
            }

            rest = rest[..comma];
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
