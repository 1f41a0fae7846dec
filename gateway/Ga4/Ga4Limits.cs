using System.Collections.Frozen;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// GA4's documented Measurement Protocol limits and reserved names (developers.google.com/analytics/devguides/
/// collection/protocol/ga4: "Limitations" and "Reserved names"), shared by /mp/collect and the gtag.js protocol.
/// </summary>
public static class Ga4Limits
{
    public const int MaxEvents = 25;
    public const int MaxParams = 25;
    public const int MaxUserProperties = 25;
    public const int MaxNameLength = 40;
    public const int MaxParamValueLength = 100;
    public const int MaxUserPropertyNameLength = 24;
    public const int MaxUserPropertyValueLength = 36;
    public const int MaxUserIdLength = 256;

    /// <summary>"The post body must be smaller than 130kB."</summary>
    public const int MaxBodyBytes = 130 * 1000;

    /// <summary>How far back timestamp_micros may go: Google accepts events up to 72 hours old.</summary>
    public static readonly TimeSpan MaxEventAge = TimeSpan.FromHours(72);

    /// <summary>Clock skew tolerated for a timestamp in the future.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);

    public static readonly FrozenSet<string> ReservedEventNames = FrozenSet.Create(StringComparer.Ordinal,
        "ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure",
        "app_background", "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
        "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade", "dynamic_link_app_open",
        "dynamic_link_app_update", "dynamic_link_first_open", "error", "firebase_campaign", "firebase_in_app_message_action",
        "firebase_in_app_message_dismiss", "firebase_in_app_message_impression", "first_open", "first_visit", "in_app_purchase",
        "notification_dismiss", "notification_foreground", "notification_open", "notification_receive", "os_update",
        "session_start", "session_start_with_rollout", "user_engagement");

    public static readonly FrozenSet<string> ReservedParamNames = FrozenSet.Create(StringComparer.Ordinal, "firebase_conversion");

    public static readonly FrozenSet<string> ReservedUserPropertyNames = FrozenSet.Create(StringComparer.Ordinal,
        "first_open_time", "first_visit_time", "last_deep_link_referrer", "user_id", "first_open_after_install");

    private static readonly string[] ReservedPrefixes = ["google_", "ga_", "firebase_"];

    /// <summary>Starts with a letter; letters, digits and underscores only.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static bool HasReservedPrefix(string name) => ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
