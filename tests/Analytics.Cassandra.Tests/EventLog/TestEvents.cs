using Analytics.GrainInterfaces.Events;

namespace Analytics.Cassandra.Tests.EventLog;

/// <summary>Enriched events as the ingestion pipeline would produce them.</summary>
public static class TestEvents
{
    public static TrackedEvent Pageview(string site, string visitor, DateTime at, string path = "/", string source = "Direct / None",
        string timezone = "Etc/UTC", string browser = "Chrome") => new()
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
        Country = "DE",
        Device = "Desktop",
        Browser = browser,
        BrowserVersion = "120.0",
        Os = "Linux",
        OsVersion = "6",
        Props = new Dictionary<string, string> { ["plan"] = "pro" },
    };

    public static TrackedEvent Custom(string site, string visitor, DateTime at, string name, string timezone = "Etc/UTC") =>
        Pageview(site, visitor, at, timezone: timezone) with { Name = name };

    public static TrackedEvent Engagement(string site, string visitor, DateTime at, string timezone = "Etc/UTC") =>
        Pageview(site, visitor, at, timezone: timezone) with { Name = EventNames.Engagement, Interactive = false, EngagementMs = 5000 };
}
