using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Api;

/// <summary>
/// Turns a <see cref="SiteRequest"/> into settings: POST and PUT start from the defaults, PATCH from the stored settings;
/// a field the request leaves out keeps the starting value (an empty ga4_measurement_id or locale clears it). The error is the
/// problem's detail, in the API's words.
/// </summary>
public static partial class SiteSettingsEditor
{
    public const string DefaultTimezone = "Etc/UTC";

    public static SiteSettings Defaults(string domain) => new() { Domain = domain, Timezone = DefaultTimezone };

    public static (SiteSettings? Settings, string? Error) Apply(SiteRequest request, SiteSettings basis)
    {
        var timezone = request.Timezone ?? basis.Timezone;
        if (!TimeZones.IsKnown(timezone))
        {
            return (null, $"timezone '{timezone}' is not a known IANA time zone (e.g. Europe/Berlin).");
        }

        var hostnames = request.AllowedHostnames?.Select(h => h.Trim().ToLowerInvariant()).ToList() ?? [.. basis.AllowedHostnames];
        if (hostnames.Count > 100 || hostnames.Any(h => !SiteDirectory.IsDomain(h.StartsWith("*.", StringComparison.Ordinal) ? h[2..] : h)))
        {
            return (null, "allowed_hostnames must be at most 100 hostnames, optionally starting with '*.'.");
        }

        var measurementId = request.Ga4MeasurementId is { } requested ? Ga4Streams.Normalize(requested) is { Length: > 0 } id ? id : null : basis.Ga4MeasurementId;
        if (measurementId is not null && !MeasurementIdPattern().IsMatch(measurementId))
        {
            return (null, "ga4_measurement_id must be a GA4 measurement id such as G-XXXXXXXXXX.");
        }

        var tag = request.Locale?.Trim() ?? basis.Locale;
        var locale = string.IsNullOrEmpty(tag) ? null : KnownLocale(tag);
        if (locale is null && !string.IsNullOrEmpty(tag))
        {
            return (null, $"locale '{tag}' is not a known BCP 47 locale (e.g. de-DE).");
        }

        // Codes as ISO writes them; an empty object clears the site's rates.
        var rates = request.RevenueRates?.ToDictionary(r => r.Key.Trim().ToUpperInvariant(), r => r.Value, StringComparer.Ordinal) ?? basis.RevenueRates ?? new Dictionary<string, decimal>();
        if (rates.Count > 200)
        {
            return (null, "revenue_rates may hold at most 200 rates.");
        }

        if (RevenueRates.Problem(rates) is { } problem)
        {
            return (null, problem);
        }

        return (basis with
        {
            Timezone = timezone,
            Cookieless = request.Cookieless ?? basis.Cookieless,
            AllowedHostnames = hostnames,
            RespectDoNotTrack = request.RespectDoNotTrack ?? basis.RespectDoNotTrack,
            Ga4MeasurementId = measurementId,
            Locale = locale,
            // None kept as null: settings compare equal after a round trip (an empty dictionary is a new instance each time).
            RevenueRates = rates.Count > 0 ? rates : null,
        }, null);
    }

    /// <summary>The tag as ICU spells it ("de-de" becomes "de-DE"), or null when no predefined culture has it.</summary>
    private static string? KnownLocale(string tag)
    {
        try
        {
            return tag.Length <= 35 ? CultureInfo.GetCultureInfo(tag, predefinedOnly: true) is { Name.Length: > 0 } culture ? culture.Name : null : null;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A GA4 web stream's measurement id: "G-" and letters or digits.</summary>
    [GeneratedRegex("^G-[A-Z0-9]{4,20}$")]
    private static partial Regex MeasurementIdPattern();
}
