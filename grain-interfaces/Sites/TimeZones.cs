using System.Collections.Concurrent;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>IANA time zone lookups, cached: bucket fan-out asks for every contribution.</summary>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Cache = new(StringComparer.Ordinal);

    public static bool IsKnown(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>The zone, or UTC for an id this machine does not know (registration rejects those).</summary>
    public static TimeZoneInfo Find(string id) =>
        Cache.GetOrAdd(id, static key => TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : TimeZoneInfo.Utc);
}
