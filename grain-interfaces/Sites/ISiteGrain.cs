using Analytics.GrainInterfaces.Query;
using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>
/// One per site (key: <see cref="SiteSettings.Key"/>, the domain it was registered with): registration, settings, and
/// query fan-out over bucket grains. Callers find a domain's key with the site directory (a renamed site keeps its key).
/// </summary>
[Alias("ISiteGrain")]
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Registers the site under its own domain (the grain key) or updates its settings; returns what is stored.</summary>
    [Alias("Register")]
    Task<SiteSettings> RegisterAsync(SiteSettings settings);

    /// <summary>
    /// Registers a new site named <see cref="SiteSettings.Domain"/> under this grain's key (the domain itself, or a key of
    /// its own when a renamed site's data still holds that one); null (nothing changed) when the key is already registered.
    /// </summary>
    [Alias("Create")]
    Task<SiteSettings?> CreateAsync(SiteSettings settings);

    /// <summary>Replaces the settings of a registered site (its creation time kept); null when it is not registered.</summary>
    [Alias("Update")]
    Task<SiteSettings?> UpdateAsync(SiteSettings settings);

    /// <summary>
    /// Adds a key to the allowed props (at most <see cref="SiteProps.MaxAllowed"/>; a key already there is kept once);
    /// returns the list, which lacks the key when it was full, or null when the site is not registered.
    /// </summary>
    [Alias("AllowProp")]
    Task<IReadOnlyList<string>?> AllowPropAsync(string property);

    /// <summary>Removes a key from the allowed props (none there is fine); the list, or null when the site is not registered.</summary>
    [Alias("DisallowProp")]
    Task<IReadOnlyList<string>?> DisallowPropAsync(string property);

    /// <summary>
    /// Gives the site a new domain (the caller checked it is free): its data stays under its key, the former domain names
    /// it for <see cref="SiteDomains.TransitionPeriod"/>, and the registries (site list, API key scopes, share links, GA4
    /// measurement id and secrets) name it by the new one. Null when the site is not registered.
    /// </summary>
    [Alias("ChangeDomain")]
    Task<SiteSettings?> ChangeDomainAsync(string domain);

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
