using System.Net;

namespace Analytics.Gateway.Geo;

public interface ICountryResolver
{
    /// <summary>ISO 3166-1 alpha-2 code, or null when unknown.</summary>
    string? CountryOf(IPAddress address);
}
