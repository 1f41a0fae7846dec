using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Gateway.Query;

/// <summary>
/// The dimensions of the Stats API v2 as the parser accepts them (for breakdowns, filters and order_by): Plausible's list,
/// "event:props:&lt;key&gt;" for any key, the time dimensions, and the few not answered yet.
/// </summary>
public static class QueryDimensions
{
    /// <summary>Plausible's limit on a custom property's key.</summary>
    public const int MaxPropertyKeyLength = 300;

    public const string Time = "time";
    public const string Hour = "time:hour";
    public const string Day = "time:day";
    public const string Week = "time:week";
    public const string Month = "time:month";

    public static readonly IReadOnlyList<string> TimeDimensions = [Time, Hour, Day, Week, Month];

    /// <summary>Every non-time dimension answered today, props aside.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        Dimensions.Page, Dimensions.Hostname, Dimensions.Goal, Dimensions.Name,
        Dimensions.EntryPage, Dimensions.ExitPage, Dimensions.EntryPageHostname,
        Dimensions.Source, Dimensions.Referrer, Dimensions.Channel,
        Dimensions.UtmSource, Dimensions.UtmMedium, Dimensions.UtmCampaign, Dimensions.UtmContent, Dimensions.UtmTerm,
        Dimensions.Device, Dimensions.Browser, Dimensions.BrowserVersion, Dimensions.Os, Dimensions.OsVersion, Dimensions.Screen,
        Dimensions.Country, Dimensions.Region, Dimensions.City,
    ];

    /// <summary>Plausible's, but not answered yet (names from a GeoNames database, the exit page's hostname).</summary>
    public static readonly IReadOnlyList<string> NotYet =
        [Dimensions.CountryName, Dimensions.RegionName, Dimensions.CityName, Dimensions.ExitPageHostname];

    private static readonly HashSet<string> Known = new(Supported, StringComparer.Ordinal);

    public static string SupportedList => $"{string.Join(", ", Supported)}, {Dimensions.PropsPrefix}<key>";

    public static bool IsTime(string dimension) => TimeDimensions.Contains(dimension);

    public static bool IsEventScoped(string dimension) => dimension.StartsWith("event:", StringComparison.Ordinal);

    /// <summary>
    /// The dimension as the engine reads it, or a <see cref="QueryValidationException"/>
    /// naming what is wrong and what is supported. <paramref name="usage"/> says where it was found ("dimension", "filter").
    /// </summary>
    public static string Validate(string dimension, string usage)
    {
        if (Known.Contains(dimension))
        {
            return dimension;
        }

        if (dimension.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal))
        {
            var key = dimension[Dimensions.PropsPrefix.Length..];
            return key.Length is > 0 and <= MaxPropertyKeyLength
                ? dimension
                : throw new QueryValidationException($"A custom property {usage} is {Dimensions.PropsPrefix}<key>, the key 1 to {MaxPropertyKeyLength} characters.");
        }

        if (NotYet.Contains(dimension))
        {
            throw new QueryValidationException($"The {usage} '{dimension}' is not supported yet; supported: {SupportedList}.");
        }

        if (dimension == "segment")
        {
            throw new QueryValidationException($"Saved segments ('segment' {usage}s) are not supported yet.");
        }

        var time = usage == "dimension" ? $", {string.Join(", ", TimeDimensions)}" : string.Empty;
        throw new QueryValidationException($"Unknown {usage} '{dimension}'; supported: {SupportedList}{time}.");
    }
}
