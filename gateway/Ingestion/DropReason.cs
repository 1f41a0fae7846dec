namespace Analytics.Gateway.Ingestion;

/// <summary>
/// Why a well-formed beacon was not counted; answered as 202 with the reason in the X-Drop-Reason header, except
/// <see cref="SiteRateLimited"/>, answered 429 with Retry-After (the sender should try again).
/// </summary>
public enum DropReason
{
    InvalidEventName,
    Bot,
    UnknownSite,
    InvalidUrl,
    HostnameNotAllowed,
    ReferrerSpam,
    DoNotTrack,
    SiteRateLimited,
}
