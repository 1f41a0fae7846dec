using Analytics.GrainInterfaces.Events;

namespace Analytics.Tests.Support;

/// <summary>Builds enriched events for tests of the grid, as the ingestion pipeline would.</summary>
public static class Events
{
    public static readonly DateTime Noon = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    public static TrackedEvent Pageview(string visitor, DateTime at, string path = "/", string site = "example.com", string source = "Direct / None",
        string browser = "Chrome", string device = "Desktop", string timezone = "Etc/UTC") => new()
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
        Country = "(unknown)",
        Device = device,
        Browser = browser,
        BrowserVersion = "120.0",
        Os = "Windows",
        OsVersion = "10",
    };

    public static TrackedEvent Custom(string visitor, DateTime at, string name, string path = "/", string site = "example.com", bool interactive = true) =>
        Pageview(visitor, at, path, site) with { Name = name, Interactive = interactive };

    public static TrackedEvent Engagement(string visitor, DateTime at, long engagedMs, string path = "/", string site = "example.com") =>
        Pageview(visitor, at, path, site) with { Name = EventNames.Engagement, Interactive = false, EngagementMs = engagedMs };
}
