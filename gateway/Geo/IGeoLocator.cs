using System.Net;

namespace Analytics.Gateway.Geo;

public interface IGeoLocator
{
    /// <summary>Where the address is, or null when even its country is unknown.</summary>
    GeoLocation? Locate(IPAddress address);
}
