using Microsoft.AspNetCore.Antiforgery;

namespace Analytics.Gateway.Access;

/// <summary>
/// CSRF defence for the cookie login: a state-changing request authenticated by the session cookie must carry the
/// antiforgery request token (header <see cref="AccessSchemes.CsrfHeader"/> or the form field). API-key and share-link
/// calls carry no ambient credential, so they need none; ingestion endpoints (<see cref="SessionIgnored"/>) never reach
/// this check. The cookie is SameSite=Lax as a second layer.
/// </summary>
public static class CsrfProtection
{
    public static IApplicationBuilder UseCsrfProtection(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!IsSafe(http.Request.Method) && http.User.IsCookieSession() && !await IsValidAsync(http))
        {
            await AccessProblems.WriteAsync(http, StatusCodes.Status403Forbidden,
                $"A request made with the dashboard session must carry the CSRF token in the {AccessSchemes.CsrfHeader} header.");
            return;
        }

        await next(http);
    });

    /// <summary>Gives the page's script the request token for the signed-in user, in a cookie it can read.</summary>
    public static void IssueToken(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        http.Response.Cookies.Append(AccessSchemes.CsrfCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
        });
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static async Task<bool> IsValidAsync(HttpContext http)
    {
        try
        {
            return await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            // A malformed form body cannot carry a valid token.
            return false;
        }
    }
}
