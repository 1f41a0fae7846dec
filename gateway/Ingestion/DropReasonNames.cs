namespace Analytics.Gateway.Ingestion;

public static class DropReasonNames
{
    /// <summary>The wire name of a reason (header value, metric tag): snake_case.</summary>
    public static string ToWireName(this DropReason reason) => reason switch
    {
        DropReason.InvalidEventName => "invalid_event_name",
        DropReason.Bot => "bot",
        DropReason.UnknownSite => "unknown_site",
        DropReason.InvalidUrl => "invalid_url",
        DropReason.HostnameNotAllowed => "hostname_not_allowed",
        DropReason.ReferrerSpam => "referrer_spam",
        DropReason.DoNotTrack => "do_not_track",
        DropReason.SiteRateLimited => "site_rate_limited",
        _ => reason.ToString(),
    };
}
