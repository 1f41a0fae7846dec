using System.Net;
using System.Text.RegularExpressions;

namespace Analytics.Testing;

/// <summary>Logs in to the dashboard over plain HTTP, as the login form does: for tests of the cookie session without a browser.</summary>
public static partial class DashboardLogin
{
    public const string CsrfHeader = "X-XSRF-TOKEN";

    /// <summary>
    /// A client with its own cookie jar, logged in as <see cref="TestCredentials.AdminEmail"/> through GET/POST /login, that
    /// has loaded the page (which hands out the CSRF token) and sends that token in <see cref="CsrfHeader"/>, as the page's script does.
    /// </summary>
    public static async Task<HttpClient> LogInAsync(Uri baseAddress, string password = TestCredentials.AdminPassword)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var page = await PostLoginAsync(http, password);
        if (page.RequestMessage?.RequestUri?.AbsolutePath != "/dashboard/" || !page.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The login did not reach the dashboard: {(int)page.StatusCode} {page.RequestMessage?.RequestUri}");
        }

        var token = cookies.GetCookies(baseAddress)["XSRF-TOKEN"]?.Value ?? throw new InvalidOperationException("The page handed out no CSRF token.");
        http.DefaultRequestHeaders.Add(CsrfHeader, token);
        return http;
    }

    /// <summary>Fills and posts the login form (its antiforgery token included); the answer after redirects.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient http, string password, string email = TestCredentials.AdminEmail)
    {
        var token = await FormTokenAsync(http);
        return await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/dashboard/",
        }));
    }

    /// <summary>The antiforgery token of a fresh login form (it also sets the antiforgery cookie on <paramref name="http"/>).</summary>
    public static async Task<string> FormTokenAsync(HttpClient http) =>
        WebUtility.HtmlDecode(FormToken().Match(await http.GetStringAsync("/login")).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
