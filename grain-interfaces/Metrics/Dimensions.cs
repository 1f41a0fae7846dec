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
