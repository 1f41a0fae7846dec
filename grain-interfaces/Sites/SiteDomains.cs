namespace Analytics.GrainInterfaces.Sites;

/// <summary>Domain changes, as Plausible makes them (Plausible.Site.Domain).</summary>
public static class SiteDomains
{
    /// <summary>How long a site's former domain still names it after a change (ingestion, APIs, share links), as in Plausible.</summary>
    public static readonly TimeSpan TransitionPeriod = TimeSpan.FromHours(72);
}
