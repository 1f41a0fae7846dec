using Analytics.GrainInterfaces.Metrics;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// The columns of a segment export (<see cref="ISegmentExportGrain"/>): per event its own columns, then its session's
/// attributes as plain strings (null for an event without a session), properties as a JSON object. Shared by the silo,
/// which writes the rows, and the gateway, which streams them as Arrow IPC or Parquet.
/// </summary>
public static class SegmentExportSchema
{
    /// <summary>The session columns, in order, with the visit dimension each one holds.</summary>
    public static readonly IReadOnlyList<(string Column, string Dimension)> SessionColumns =
    [
        ("entry_page", Dimensions.EntryPage), ("exit_page", Dimensions.ExitPage), ("source", Dimensions.Source),
        ("referrer", Dimensions.Referrer), ("channel", Dimensions.Channel), ("utm_source", Dimensions.UtmSource),
        ("utm_medium", Dimensions.UtmMedium), ("utm_campaign", Dimensions.UtmCampaign), ("utm_content", Dimensions.UtmContent),
        ("utm_term", Dimensions.UtmTerm), ("device", Dimensions.Device), ("browser", Dimensions.Browser),
        ("browser_version", Dimensions.BrowserVersion), ("os", Dimensions.Os), ("os_version", Dimensions.OsVersion),
        ("country", Dimensions.Country), ("region", Dimensions.Region), ("city", Dimensions.City), ("screen", Dimensions.Screen),
    ];

    /// <summary>Event times: microseconds, UTC.</summary>
    public static readonly TimestampType Timestamp = new(TimeUnit.Microsecond, "UTC");

    public static readonly Schema Schema = new(
        [
            new Field("timestamp", Timestamp, false),
            new Field("name", StringType.Default, false),
            new Field("page", StringType.Default, false),
            new Field("hostname", StringType.Default, false),
            new Field("visitor", UInt64Type.Default, false),
            new Field("session", UInt64Type.Default, false),
            new Field("engagement_ms", Int64Type.Default, false),
            new Field("scroll_depth", Int32Type.Default, true),
            new Field("revenue_micros", Int64Type.Default, true),
            new Field("revenue_currency", StringType.Default, true),
            new Field("props", StringType.Default, true),
            .. SessionColumns.Select(c => new Field(c.Column, StringType.Default, true)),
        ],
        null);
}
