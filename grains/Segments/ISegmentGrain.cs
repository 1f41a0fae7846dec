using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Orleans.Concurrency;

namespace Analytics.Grains.Segments;

/// <summary>
/// One segment (key: a <see cref="SegmentKey"/> string, "site|yyyy-MM-dd"): takes appends while it is open, seals itself
/// once its day can no longer change, and scans its rows for a query. It lives here, not in grain-interfaces, because
/// it answers with <see cref="SegmentPartial"/>, which only the silo knows.
/// </summary>
[Alias("ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>Applies the appends not applied before (per producer sequence) and makes them durable before returning.</summary>
    [Alias("Append")]
    Task AppendAsync(IReadOnlyList<SegmentAppend> appends);

    /// <summary>
    /// Replaces everything the segment holds with <paramref name="appends"/> (a re-sessionization of the raw event log,
    /// see <see cref="Reaggregation.SegmentRebuilder"/>) and stores the result as its sealed form. Producer positions are
    /// kept, so a lane's later redelivery is still recognised.
    /// </summary>
    [Alias("Rebuild")]
    Task RebuildAsync(IReadOnlyList<SegmentAppend> appends);

    /// <summary>The query's partial aggregates over this segment's rows that lie in the query's range.</summary>
    [Alias("Scan"), ReadOnly]
    Task<SegmentPartial> ScanAsync(StatsQuery query);

    /// <summary>The funnel of the query's goals over this segment's visits (<see cref="FunnelScanner"/>).</summary>
    [Alias("Funnel"), ReadOnly]
    Task<FunnelPartial> FunnelAsync(StatsQuery query);
}
