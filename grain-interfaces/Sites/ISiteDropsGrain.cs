using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sites;

/// <summary>
/// One per registered site (key: the domain): how many of its beacons the gateways dropped in the last hour, by reason
/// (bot, hostname_not_allowed, ...), so the dashboard can say why a visit is missing. Kept in memory only: after a silo
/// restart the count starts again, which is what "in the last hour" needs.
/// </summary>
[Alias("ISiteDropsGrain")]
public interface ISiteDropsGrain : IGrainWithStringKey
{
    /// <summary>Adds a gateway's counts (reason → beacons) to the current minute.</summary>
    [Alias("Add"), OneWay]
    Task AddAsync(IReadOnlyDictionary<string, long> counts);

    /// <summary>Forgets the counts (the site was deleted: a site registered again under its name starts from zero).</summary>
    [Alias("Clear")]
    Task ClearAsync();

    /// <summary>Beacons dropped in the last hour, by reason (reasons with none are left out).</summary>
    [Alias("LastHour"), ReadOnly]
    Task<IReadOnlyDictionary<string, long>> GetLastHourAsync();
}
