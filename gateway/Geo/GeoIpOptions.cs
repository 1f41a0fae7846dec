namespace Analytics.Gateway.Geo;

public sealed class GeoIpOptions
{
    public const string SectionName = "Analytics:GeoIp";

    /// <summary>
    /// Path to a MaxMind GeoLite2/GeoIP2 Country or City .mmdb file; countries are "(unknown)" without one, regions and
    /// cities are recorded only with a City file.
    /// </summary>
    public string? DatabasePath { get; set; }
}
