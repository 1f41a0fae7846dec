using System.Net;
using Analytics.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Tests.Security;

/// <summary>Dashboard sessions end on the server at logout, not only in the browser.</summary>
public sealed class SessionTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task After_logout_a_copy_of_the_old_session_cookie_is_refused()
    {
        using var browser = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var login = await PostLoginAsync(browser, TestCredentials.AdminPassword, "/dashboard/");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookies = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Contains(".AnalyticsGrid.Session=", cookies, StringComparison.Ordinal);

        using var stolen = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        stolen.DefaultRequestHeaders.Add("Cookie", cookies);
        using (var before = await stolen.GetAsync("/api/sites"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Log out with the page's CSRF token, as the dashboard does.
        using var page = await stolen.GetAsync("/dashboard/");
        var csrf = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal));
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add("Cookie", cookies + "; " + string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        logout.Headers.Add(DashboardLogin.CsrfHeader, Uri.UnescapeDataString(csrf["XSRF-TOKEN=".Length..]));
        using (var loggedOut = await browser.SendAsync(logout))
        {
            Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        }

        using var after = await stolen.GetAsync("/api/sites");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient http, string password, string returnUrl)
    {
        // Without a cookie jar the antiforgery cookie of the form is carried by hand.
        using var form = await http.GetAsync("/login");
        var html = await form.Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["email"] = TestCredentials.AdminEmail,
                ["password"] = password,
                ["returnUrl"] = returnUrl,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await http.SendAsync(request);
    }
}
