using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>A Stats API v2 body parsed for one site: the query to run and what its answer includes.</summary>
public sealed record StatsRequest
{
    public required StatsQuery Query { get; init; }

    /// <summary>The range as answered: local dates, or local datetimes with their offset for hourly and datetime ranges.</summary>
    public required IReadOnlyList<string> DateRange { get; init; }

    /// <summary>include.time_labels: list every bucket of the range in meta.time_labels.</summary>
    public bool TimeLabels { get; init; }

    /// <summary>include.imports: add the site's imported aggregates where the query can be answered from them.</summary>
    public bool Imports { get; init; }

    /// <summary>include.comparisons: the same query over the comparison range (all its rows), run beside the main one.</summary>
    public StatsQuery? Comparison { get; init; }

    /// <summary>The comparison's range as answered, shaped like <see cref="DateRange"/>.</summary>
    public IReadOnlyList<string>? ComparisonDateRange { get; init; }
}
