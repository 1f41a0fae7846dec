using Analytics.GrainInterfaces.Query;
using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>One per site (key: the domain): registration, settings, and query fan-out over bucket grains.</summary>
[Alias("ISiteGrain")]
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Registers the site or updates its settings; returns what is stored.</summary>
    [Alias("Register")]
    Task<SiteSettings> RegisterAsync(SiteSettings settings);

    /// <summary>Registers a new site; null (nothing changed) when it is already registered.</summary>
    [Alias("Create")]
    Task<SiteSettings?> CreateAsync(SiteSettings settings);

    /// <summary>Replaces the settings of a registered site (its creation time kept); null when it is not registered.</summary>
    [Alias("Update")]
    Task<SiteSettings?> UpdateAsync(SiteSettings settings);

    /// <summary>The settings, or null while the site is not registered.</summary>
    [Alias("GetSettings"), ReadOnly]
    Task<SiteSettings?> GetSettingsAsync();

    /// <summary>Answers a Stats API v2 query from the site's segments (fan-out, merge, order, paginate).</summary>
    [Alias("Run"), ReadOnly]
    Task<QueryResult> RunAsync(StatsQuery query);

    /// <summary>
    /// The funnel whose steps are <paramref name="query"/>'s <see cref="StatsQuery.Goals"/>, in order, over its range and
    /// filters: per step, the visitors with a visit that completed the steps up to it in that order.
    /// </summary>
    [Alias("Funnel"), ReadOnly]
    Task<FunnelResult> FunnelAsync(StatsQuery query);

    /// <summary>
    /// A segment of the site stored its first rows, for <paramref name="day"/>: queries read that day from now on. The
    /// site keeps its set of days instead of listing the store on every query. Interleaves: a segment grain calls it
    /// while a query of this grain may be waiting for that segment's scan.
    /// </summary>
    [Alias("NoteSegmentDay"), AlwaysInterleave]
    Task NoteSegmentDayAsync(DateOnly day);

    /// <summary>The UTC days that have a segment (sealed or open), in order: what an export of the site reads.</summary>
    [Alias("SegmentDays"), ReadOnly]
    Task<IReadOnlyList<DateOnly>> GetSegmentDaysAsync();

    /// <summary>
    /// Erases everything about the site: settings, registry entry, every bucket and visitor state, its raw events.
    /// False when no such site is registered. Afterwards the site is unknown; registering it again starts from zero.
    /// </summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>Unique visitors seen in the last five minutes.</summary>
    [Alias("RealtimeVisitors"), ReadOnly]
    Task<long> GetRealtimeVisitorsAsync();
}
