using System.Net;

namespace Analytics.Gateway.Geo;

/// <summary>Used when no GeoIP database is configured: every location is unknown.</summary>
public sealed class NoGeoLocator : IGeoLocator
{
    public GeoLocation? Locate(IPAddress address) => null;
}
