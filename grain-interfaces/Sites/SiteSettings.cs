namespace Analytics.GrainInterfaces.Sites;

[GenerateSerializer, Immutable, Alias("SiteSettings")]
public sealed record SiteSettings
{
    /// <summary>The site id: its domain as the tracker's data-domain names it, e.g. "example.com".</summary>
    [Id(0)] public required string Domain { get; init; }
    /// <summary>IANA time zone used for day buckets and date ranges.</summary>
    [Id(1)] public string Timezone { get; init; } = "Etc/UTC";
    /// <summary>Identify visitors by a daily-rotating salted hash instead of the tracker's cookie.</summary>
    [Id(2)] public bool Cookieless { get; init; }
    /// <summary>Hostnames whose pages may report to this site ("*.example.com" for subdomains); empty means any hostname, as in Plausible.</summary>
    [Id(3)] public IReadOnlyList<string> AllowedHostnames { get; init; } = [];
    [Id(4)] public DateTime CreatedAt { get; init; }
    /// <summary>Drop beacons from browsers that send DNT: 1 or Sec-GPC: 1 (drop_do_not_track).</summary>
    [Id(5)] public bool RespectDoNotTrack { get; init; }
    /// <summary>The GA4 measurement id ("G-…") whose Measurement Protocol and gtag.js requests count for this site.</summary>
    [Id(6)] public string? Ga4MeasurementId { get; init; }
    /// <summary>BCP 47 tag ("de-DE") whose conventions the dashboard formats dates and numbers in; none means ISO dates.</summary>
    [Id(7)] public string? Locale { get; init; }
    /// <summary>
    /// Plausible's allowed event props: when not empty, the dashboard offers only these property keys (and the internal
    /// url, path, search_query). Ingestion keeps every prop, and the Stats API can query any, as in Plausible.
    /// </summary>
    [Id(8)] public IReadOnlyList<string> AllowedProps { get; init; } = [];
    /// <summary>Set by the site grain to its key; null in settings stored before domain changes existed (their key is their domain).</summary>
    [Id(9)] public string? Key { get; init; }
    /// <summary>The domain before the last domain change; it still names the site until <see cref="SiteDomains.TransitionPeriod"/> after <see cref="DomainChangedAt"/>.</summary>
    [Id(10)] public string? FormerDomain { get; init; }
    [Id(11)] public DateTime? DomainChangedAt { get; init; }
    /// <summary>The site's exchange rates for revenue (pairs such as "EURUSD"), over the configured Analytics:Revenue:Rates.</summary>
    [Id(12)] public IReadOnlyDictionary<string, decimal>? RevenueRates { get; init; }

    /// <summary>
    /// The key the site's grains and data are stored under (site grain, segments, visitors, raw events, goals): the
    /// domain it was registered with, kept through domain changes, so a rename moves no data.
    /// </summary>
    public string SiteKey => Key ?? Domain;

    /// <summary>Whether <paramref name="domain"/> names this site at <paramref name="now"/>: its domain, or its former one during the transition.</summary>
    public bool IsNamedBy(string domain, DateTime now) =>
        domain == Domain || (domain == FormerDomain && DomainChangedAt is { } changed && now < changed + SiteDomains.TransitionPeriod);
}
