using Analytics.GrainInterfaces.Events;

namespace Analytics.Testing;

/// <summary>
/// Enriched events as the ingestion pipeline would produce them, for tests of the grains, the event logs and exports.
/// The defaults are what the pipeline writes for a desktop Chrome visitor without a country database.
/// </summary>
public static class TestEvents
{
    public static readonly DateTime Noon = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    public static TrackedEvent Pageview(string visitor, DateTime at, string path = "/", string site = "example.com", string source = "Direct / None",
        string browser = "Chrome", string device = "Desktop", string timezone = "Etc/UTC", string country = "(unknown)",
        IReadOnlyDictionary<string, string>? props = null) => new()
    {
        Id = Guid.NewGuid(),
        Site = site,
        VisitorId = visitor,
        Timestamp = at,
        Timezone = timezone,
        Name = EventNames.Pageview,
        Hostname = site,
        Pathname = path,
        Source = source,
        Country = country,
        Device = device,
        Browser = browser,
        BrowserVersion = "120.0",
        Os = "Windows",
        OsVersion = "10",
        Props = props,
    };

    public static TrackedEvent Custom(string visitor, DateTime at, string name, string path = "/", string site = "example.com", bool interactive = true,
        string timezone = "Etc/UTC", string country = "(unknown)", IReadOnlyDictionary<string, string>? props = null) =>
        Pageview(visitor, at, path, site, timezone: timezone, country: country, props: props) with { Name = name, Interactive = interactive };

    public static TrackedEvent Engagement(string visitor, DateTime at, long engagedMs, string path = "/", string site = "example.com", string timezone = "Etc/UTC") =>
        Pageview(visitor, at, path, site, timezone: timezone) with { Name = EventNames.Engagement, Interactive = false, EngagementMs = engagedMs };
}
