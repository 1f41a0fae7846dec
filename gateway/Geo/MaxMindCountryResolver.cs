using System.Net;
using MaxMind.GeoIP2;

namespace Analytics.Gateway.Geo;

public sealed class MaxMindCountryResolver(string databasePath) : ICountryResolver, IDisposable
{
    private readonly DatabaseReader _reader = new(databasePath);

    public string? CountryOf(IPAddress address) =>
        _reader.TryCountry(address, out var response) ? response?.Country.IsoCode : null;

    public void Dispose() => _reader.Dispose();
}
