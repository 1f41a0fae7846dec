namespace Analytics.GrainInterfaces.Metrics;

/// <summary>The breakdown dimensions, named as in Plausible's Stats API v2.</summary>
public static class Dimensions
{
    public const string Page = "event:page";
    public const string Goal = "event:goal";
    public const string EntryPage = "visit:entry_page";
    public const string ExitPage = "visit:exit_page";
    public const string Source = "visit:source";
    public const string Referrer = "visit:referrer";
    public const string UtmSource = "visit:utm_source";
    public const string UtmMedium = "visit:utm_medium";
    public const string UtmCampaign = "visit:utm_campaign";
    public const string Country = "visit:country";
    public const string Device = "visit:device";
    public const string Browser = "visit:browser";
    public const string Os = "visit:os";
    public const string Screen = "visit:screen";

    // Answered from segments only (Stats API v2 at Plausible's level).
    public const string Name = "event:name";
    public const string Hostname = "event:hostname";
    /// <summary>"event:props:&lt;key&gt;": a custom property; events without the key read "(none)".</summary>
    public const string PropsPrefix = "event:props:";
    public const string Channel = "visit:channel";
    public const string UtmContent = "visit:utm_content";
    public const string UtmTerm = "visit:utm_term";
    public const string BrowserVersion = "visit:browser_version";
    public const string OsVersion = "visit:os_version";
    public const string Region = "visit:region";
    public const string City = "visit:city";
    public const string CountryName = "visit:country_name";
    public const string RegionName = "visit:region_name";
    public const string CityName = "visit:city_name";
    public const string EntryPageHostname = "visit:entry_page_hostname";
    public const string ExitPageHostname = "visit:exit_page_hostname";

    /// <summary>What a property breakdown shows for events that do not carry the key (as Plausible).</summary>
    public const string None = "(none)";

    /// <summary>Value kept for rows beyond a breakdown's capacity, so totals still add up.</summary>
    public const string Other = "(other)";

    /// <summary>Attributed to the session, at its start: visits, bounces, duration and the session's pageviews.</summary>
    public static readonly IReadOnlyList<string> SessionScoped =
        [EntryPage, Source, Referrer, UtmSource, UtmMedium, UtmCampaign, Country, Device, Browser, Os, Screen];

    /// <summary>Attributed to the event, at its time: pageviews or events and visitors.</summary>
    public static readonly IReadOnlyList<string> EventScoped = [Page, Goal];

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>([.. SessionScoped, .. EventScoped, ExitPage], StringComparer.Ordinal);

    public static bool IsSessionScoped(string dimension) => dimension != Page && dimension != Goal;
}
