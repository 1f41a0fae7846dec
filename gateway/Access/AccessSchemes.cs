using Microsoft.AspNetCore.Authentication.Cookies;

namespace Analytics.Gateway.Access;

public static class AccessSchemes
{
    /// <summary>The default: a policy scheme choosing <see cref="ApiKey"/> when a token header is sent, <see cref="Cookie"/> otherwise.</summary>
    public const string Default = "Analytics";

    /// <summary>Authorization: Bearer &lt;API key&gt;, or a share link's slug in <see cref="ShareHeader"/>.</summary>
    public const string ApiKey = "ApiKey";

    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    public const string ShareLink = "ShareLink";

    /// <summary>The slug of a share link, sent by the page at /share/{slug}.</summary>
    public const string ShareHeader = "X-Analytics-Share";

    /// <summary>The antiforgery request token, required on cookie-authenticated POST/PUT/PATCH/DELETE.</summary>
    public const string CsrfHeader = "X-XSRF-TOKEN";

    /// <summary>A cookie the page's script reads to send <see cref="CsrfHeader"/> (not HttpOnly by design; the token alone is useless).</summary>
    public const string CsrfCookie = "XSRF-TOKEN";

    public const string SessionCookie = ".AnalyticsGrid.Session";
}
