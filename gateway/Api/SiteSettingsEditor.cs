using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Api;

/// <summary>
/// Turns a <see cref="SiteRequest"/> into settings: POST and PUT start from the defaults, PATCH from the stored settings;
/// a field the request leaves out keeps the starting value. The error is the problem's detail, in the API's words.
/// </summary>
public static class SiteSettingsEditor
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
        if (hostnames.Count > 100 || hostnames.Any(h => !SitesApi.IsDomain(h.StartsWith("*.", StringComparison.Ordinal) ? h[2..] : h)))
        {
            return (null, "allowed_hostnames must be at most 100 hostnames, optionally starting with '*.'.");
        }

        return (basis with
        {
            Timezone = timezone,
            Cookieless = request.Cookieless ?? basis.Cookieless,
            AllowedHostnames = hostnames,
            RespectDoNotTrack = request.RespectDoNotTrack ?? basis.RespectDoNotTrack,
        }, null);
    }
}
