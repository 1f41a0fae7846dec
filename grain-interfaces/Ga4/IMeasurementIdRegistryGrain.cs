using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Ga4;

/// <summary>Which site a GA4 measurement id ("G-…") belongs to (a single grain, key 0): how GA4 requests find their site.</summary>
[Alias("IMeasurementIdRegistryGrain")]
public interface IMeasurementIdRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Gives the site this measurement id (none: null), replacing the one it had.</summary>
    [Alias("Assign")]
    Task AssignAsync(string domain, string? measurementId);

    /// <summary>The site's domain, or null when no site has this measurement id.</summary>
    [Alias("FindSite"), ReadOnly]
    Task<string?> FindSiteAsync(string measurementId);
}
