using Analytics.GrainInterfaces.Goals;

namespace Analytics.GrainInterfaces.Query;

/// <summary>
/// A validated Stats API v2 query, resolved for one site: its range as UTC instants, its time dimension resolved
/// ("time" becomes time:hour or time:day). What the segments scan.
/// </summary>
[GenerateSerializer, Immutable, Alias("StatsQuery")]
public sealed record StatsQuery
{
    [Id(0)] public required string Site { get; init; }
    [Id(1)] public required IReadOnlyList<string> Metrics { get; init; }
    /// <summary>Dimensions in the caller's order (the shape of each result row); at most one is a time dimension.</summary>
    [Id(2)] public IReadOnlyList<string> Dimensions { get; init; } = [];
    /// <summary>Start of the range, inclusive (UTC): the first local midnight of the range, or the given instant.</summary>
    [Id(3)] public required DateTime FromUtc { get; init; }
    /// <summary>End of the range, exclusive (UTC).</summary>
    [Id(4)] public required DateTime ToUtc { get; init; }
    /// <summary>The site's IANA time zone: time labels and local days.</summary>
    [Id(5)] public required string Timezone { get; init; }
    [Id(6)] public FilterExpression? Filter { get; init; }
    [Id(7)] public IReadOnlyList<QueryOrder> OrderBy { get; init; } = [];
    [Id(8)] public int Limit { get; init; } = 10_000;
    [Id(9)] public int Offset { get; init; }
    /// <summary>
    /// The site's configured goals, resolved when the query is planned (only when it reads event:goal): what event:goal
    /// groups and filters by. Empty: the site has none, and every custom event name counts as a goal.
    /// </summary>
    [Id(10)] public IReadOnlyList<Goal> Goals { get; init; } = [];
    /// <summary>
    /// Exchange rates for revenue metrics, keyed by currency pair (<c>EURUSD</c> = the price of one euro in dollars):
    /// an amount in another currency than its revenue goal's is converted through them. Set only when revenue is asked.
    /// </summary>
    [Id(11)] public IReadOnlyDictionary<string, decimal> RevenueRates { get; init; } = new Dictionary<string, decimal>();

    /// <summary>The time dimension among <see cref="Dimensions"/>, if any.</summary>
    public TimeGranularity? Time => Dimensions.FirstOrDefault(d => d.StartsWith("time:", StringComparison.Ordinal)) switch
    {
        "time:hour" => TimeGranularity.Hour,
        "time:day" => TimeGranularity.Day,
        "time:week" => TimeGranularity.Week,
        "time:month" => TimeGranularity.Month,
        _ => null,
    };
}
