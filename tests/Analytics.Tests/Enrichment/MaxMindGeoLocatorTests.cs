using System.Net;
using Analytics.Gateway.Geo;

namespace Analytics.Tests.Enrichment;

/// <summary>The MaxMind reader on databases in the real GeoIP2 City and Country layouts.</summary>
public sealed class MaxMindGeoLocatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-geoip-").FullName;

    [Theory]
    [InlineData("81.2.69.142", "GB", "GB-ENG", "2643743")]
    [InlineData("89.160.20.112", "SE", "SE-E", "2694762")]
    [InlineData("2a02:8100:1234::1", "DE", "DE-BE", "2950159")]
    [InlineData("1.130.4.5", "AU", null, null)]
    public void A_city_database_gives_country_region_as_ISO_3166_2_and_city_as_GeoNames_id(string address, string country, string? region, string? city)
    {
        using var locator = new MaxMindGeoLocator(GeoIpTestDatabase.Write(_directory, GeoIpTestDatabase.City));

        Assert.Equal(new GeoLocation(country, region, city), locator.Locate(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_country_database_gives_the_country_alone()
    {
        using var locator = new MaxMindGeoLocator(GeoIpTestDatabase.Write(_directory, GeoIpTestDatabase.Country));

        Assert.Equal(new GeoLocation("GB", null, null), locator.Locate(IPAddress.Parse("81.2.69.142")));
        Assert.Equal(new GeoLocation("DE", null, null), locator.Locate(IPAddress.Parse("2a02:8100::9")));
    }

    [Theory]
    [InlineData(GeoIpTestDatabase.City)]
    [InlineData(GeoIpTestDatabase.Country)]
    public void An_address_the_database_does_not_know_is_nowhere(string type)
    {
        using var locator = new MaxMindGeoLocator(GeoIpTestDatabase.Write(_directory, type));

        Assert.Null(locator.Locate(IPAddress.Parse("8.8.8.8")));
        Assert.Null(locator.Locate(IPAddress.Parse("2001:db8::1")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
