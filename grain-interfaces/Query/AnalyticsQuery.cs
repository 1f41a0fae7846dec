using Analytics.GrainInterfaces.Metrics;

namespace Analytics.GrainInterfaces.Query;

/// <summary>A validated Stats API v2 query, its date range already resolved in the site's time zone.</summary>
[GenerateSerializer, Immutable, Alias("AnalyticsQuery")]
public sealed record AnalyticsQuery
{
    [Id(0)] public required string Site { get; init; }
    [Id(1)] public required IReadOnlyList<string> Metrics { get; init; }
    /// <summary>Hour (UTC hour buckets) or Day (local day buckets).</summary>
    [Id(2)] public required Granularity Granularity { get; init; }
    /// <summary>First bucket start: a UTC hour, or a local day at midnight.</summary>
    [Id(3)] public required DateTime First { get; init; }
    /// <summary>Last bucket start, inclusive.</summary>
    [Id(4)] public required DateTime Last { get; init; }
    /// <summary>At most one breakdown dimension, e.g. "event:page".</summary>
    [Id(5)] public string? Breakdown { get; init; }
    /// <summary>"time:hour" or "time:day", or null.</summary>
    [Id(6)] public string? TimeDimension { get; init; }
    [Id(7)] public IReadOnlyList<QueryFilter> Filters { get; init; } = [];
    [Id(8)] public IReadOnlyList<QueryOrder> OrderBy { get; init; } = [];
    [Id(9)] public int Limit { get; init; } = 10_000;
    [Id(10)] public int Offset { get; init; }
    /// <summary>Dimensions in the order the caller listed them, for the shape of each result row.</summary>
    [Id(11)] public IReadOnlyList<string> Dimensions { get; init; } = [];
    /// <summary>The site's IANA time zone, for time labels.</summary>
    [Id(12)] public string Timezone { get; init; } = "Etc/UTC";
}
