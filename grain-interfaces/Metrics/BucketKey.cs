using System.Globalization;

namespace Analytics.GrainInterfaces.Metrics;

/// <summary>
/// The key of a <c>MetricBucketGrain</c>: "site|m|2026-11-23T18:05" (UTC minute), "site|h|2026-11-23T18" (UTC hour)
/// or "site|d|2026-11-23" (local day). Minutes and hours are UTC so that DST never folds two hours into one bucket;
/// days are local so that a day's numbers match what the site owner calls a day.
/// </summary>
public readonly record struct BucketKey(string Site, Granularity Granularity, DateTime Start)
{
    private const string MinuteFormat = "yyyy-MM-dd'T'HH:mm";
    private const string HourFormat = "yyyy-MM-dd'T'HH";
    private const string DayFormat = "yyyy-MM-dd";

    public static BucketKey Minute(string site, DateTime utc) =>
        new(site, Granularity.Minute, new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc));

    public static BucketKey Hour(string site, DateTime utc) =>
        new(site, Granularity.Hour, new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc));

    public static BucketKey Day(string site, DateOnly localDay) =>
        new(site, Granularity.Day, localDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified));

    public static BucketKey Day(string site, DateTime utc, TimeZoneInfo zone) =>
        Day(site, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone)));

    public DateOnly LocalDay => DateOnly.FromDateTime(Start);

    public override string ToString() => Granularity switch
    {
        Granularity.Minute => $"{Site}|m|{Start.ToString(MinuteFormat, CultureInfo.InvariantCulture)}",
        Granularity.Hour => $"{Site}|h|{Start.ToString(HourFormat, CultureInfo.InvariantCulture)}",
        _ => $"{Site}|d|{Start.ToString(DayFormat, CultureInfo.InvariantCulture)}",
    };

    public static BucketKey Parse(string key)
    {
        var parts = key.Split('|');
        if (parts.Length != 3)
        {
            throw new FormatException($"A bucket key is 'site|granularity|start', got '{key}'.");
        }

        var (granularity, format, kind) = parts[1] switch
        {
            "m" => (Granularity.Minute, MinuteFormat, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            "h" => (Granularity.Hour, HourFormat, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            "d" => (Granularity.Day, DayFormat, DateTimeStyles.None),
            _ => throw new FormatException($"Unknown bucket granularity '{parts[1]}' in '{key}'."),
        };
        return new BucketKey(parts[0], granularity, DateTime.ParseExact(parts[2], format, CultureInfo.InvariantCulture, kind));
    }
}
