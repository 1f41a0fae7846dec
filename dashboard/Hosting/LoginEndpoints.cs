using Analytics.Gateway.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Analytics.Dashboard.Hosting;

/// <summary>The dashboard's login (a form with an antiforgery token, cookie session) and logout.</summary>
public static class LoginEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoginPath, (HttpContext http, string? returnUrl) => Page(http, returnUrl, error: null, StatusCodes.Status200OK)).ExcludeFromDescription();
        app.MapPost(LoginPath, LoginAsync).ExcludeFromDescription().DisableAntiforgery();
        // Cookie-authenticated POST: the CSRF check (form field or header) runs before it.
        app.MapPost(LogoutPath, async (HttpContext http, AdminSessions sessions) =>
        {
            // Ended on the server too: a copy of the cookie kept elsewhere stops working with this logout.
            var session = await http.AuthenticateAsync(AccessSchemes.Cookie);
            await sessions.EndAsync(http.User, session.Properties?.ExpiresUtc);
            await http.SignOutAsync(AccessSchemes.Cookie);
            http.Response.Cookies.Delete(AccessSchemes.CsrfCookie);
            return TypedResults.Redirect(LoginPath);
        }).RequireAuthorization(AccessPolicies.Dashboard).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, [AsParameters] LoginServices services)
    {
        var throttle = services.Throttle;
        var client = LoginThrottle.ClientOf(http);
        if (!throttle.TryReserve(client))
        {
            http.Response.Headers.RetryAfter = ((int)throttle.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem("Too many failed logins from this address; retry later.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }

        var result = await CheckAsync(http, services.Antiforgery, services.Admins, services.Sessions);
        if (!result.WrongPassword)
        {
            throttle.Release(client);
        }

        return result.Answer;
    }

    /// <summary>The login itself; WrongPassword says whether the attempt counts as a failure for the throttle.</summary>
    private static async Task<(IResult Answer, bool WrongPassword)> CheckAsync(HttpContext http, IAntiforgery antiforgery, AdminAccounts admins, AdminSessions sessions)
    {
        if (!http.Request.HasFormContentType)
        {
            return (TypedResults.Problem("Log in with the form at /login.", statusCode: StatusCodes.Status415UnsupportedMediaType), false);
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return (TypedResults.Problem("The form could not be read.", statusCode: StatusCodes.Status400BadRequest), false);
        }

        var returnUrl = form["returnUrl"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return (Page(http, returnUrl, "The form expired; please try again.", StatusCodes.Status400BadRequest), false);
        }

        var email = form["email"].ToString();
        if (!admins.Verify(email, form["password"].ToString()))
        {
            // The email stays filled in: only the password was (probably) mistyped.
            return (Page(http, returnUrl, "Wrong email or password.", StatusCodes.Status401Unauthorized, email), true);
        }

        await http.SignInAsync(AccessSchemes.Cookie, sessions.NewPrincipal());
        return (TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl : DashboardExtensions.Path + "/"), false);
    }

    /// <summary>
    /// Only paths on this site: an open redirect after login would hand the session's trust to any URL. Control
    /// characters are refused too (the redirect would not be a valid Location header).
    /// </summary>
    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    private static IResult Page(HttpContext http, string? returnUrl, string? error, int status, string? email = null)
    {
        var token = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var message = error is null ? string.Empty : $"""<p class="error" role="alert">{Encode(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Log in · Analytics Grid</title>
            <link rel="stylesheet" href="{DashboardExtensions.Path}/app.css">
            <link rel="icon" href="{DashboardExtensions.Path}/favicon.svg" type="image/svg+xml">
            </head>
            <body>
            <main>
            <form class="login" method="post" action="{LoginPath}">
              <h1><span class="logo" aria-hidden="true">▦</span> Analytics Grid</h1>
              {message}
              <input type="hidden" name="{Encode(token.FormFieldName)}" value="{Encode(token.RequestToken ?? string.Empty)}">
              <input type="hidden" name="returnUrl" value="{Encode(returnUrl ?? string.Empty)}">
              <label class="field"><span>Email</span><input type="email" name="email" value="{Encode(email ?? string.Empty)}" autocomplete="username" required></label>
              <label class="field"><span>Password</span><input type="password" name="password" autocomplete="current-password" required></label>
              <button type="submit" class="button">Log in</button>
            </form>
            </main>
            </body>
            </html>
            """;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
