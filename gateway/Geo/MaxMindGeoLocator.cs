using System.Globalization;
using System.Net;
using MaxMind.GeoIP2;

namespace Analytics.Gateway.Geo;

/// <summary>
/// Locates addresses in a MaxMind GeoLite2/GeoIP2 database: a City database gives country, region and city, a Country
/// database the country alone.
/// </summary>
public sealed class MaxMindGeoLocator : IGeoLocator, IDisposable
{
    private readonly DatabaseReader _reader;
    private readonly bool _city;

    public MaxMindGeoLocator(string databasePath)
    {
        _reader = new DatabaseReader(databasePath);
        _city = _reader.Metadata.DatabaseType.Contains("City", StringComparison.OrdinalIgnoreCase);
    }

    public GeoLocation? Locate(IPAddress address)
    {
        if (!_city)
        {
            return _reader.TryCountry(address, out var country) && country?.Country.IsoCode is { Length: > 0 } code ? new GeoLocation(code, null, null) : null;
        }

        if (!_reader.TryCity(address, out var response) || response?.Country.IsoCode is not { Length: > 0 } iso)
        {
            return null;
        }

        // The first subdivision is the largest (a German state, an English country), as Plausible's subdivision1.
        var region = response.Subdivisions.FirstOrDefault()?.IsoCode is { Length: > 0 } subdivision ? $"{iso}-{subdivision}" : null;
        return new GeoLocation(iso, region, response.City.GeoNameId?.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose() => _reader.Dispose();
}
