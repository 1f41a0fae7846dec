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
}
