using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Abstractions.Caching;

/// <summary>
/// When a period may be cached: once its end lies <see cref="HotCacheOptions.ClosedAfter"/> in the past. One rule for
/// query results over ranges (gateway) and for metric buckets (silo), so both caches agree on what is still open.
/// </summary>
public static class ClosedPeriods
{
    /// <summary>
    /// The instant after the bucket starting at <paramref name="start"/>: one UTC minute or hour later, or, for a day
    /// bucket (a local date), the next local midnight in <paramref name="zone"/>.
    /// </summary>
    public static DateTime EndUtc(Granularity granularity, DateTime start, TimeZoneInfo zone)
    {
        switch (granularity)
        {
            case Granularity.Minute:
                return DateTime.SpecifyKind(start.AddMinutes(1), DateTimeKind.Utc);
            case Granularity.Hour:
                return DateTime.SpecifyKind(start.AddHours(1), DateTimeKind.Utc);
        }

        var midnight = DateTime.SpecifyKind(start.Date.AddDays(1), DateTimeKind.Unspecified);
        // Where midnight is skipped or repeats, take the latest instant it can mean: closing late is always safe.
        var offset = zone.IsInvalidTime(midnight) ? zone.GetUtcOffset(midnight.AddHours(-2))
            : zone.IsAmbiguousTime(midnight) ? zone.GetAmbiguousTimeOffsets(midnight).Min()
            : zone.GetUtcOffset(midnight);
        return DateTime.SpecifyKind(midnight - offset, DateTimeKind.Utc);
    }

    public static bool IsClosed(DateTime endUtc, DateTime nowUtc, TimeSpan closedAfter) => endUtc + closedAfter <= nowUtc;
}
