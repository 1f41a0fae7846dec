using System.Net;

namespace Analytics.Gateway.Geo;

/// <summary>Used when no GeoIP database is configured: every country is unknown.</summary>
public sealed class NoCountryResolver : ICountryResolver
{
    public string? CountryOf(IPAddress address) => null;
}
