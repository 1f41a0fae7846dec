using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Analytics.Testing;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Analytics.Tests.Security;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto count only from a configured proxy: by default none (not even loopback), so no
/// local process picks its client address; behind a trusted TLS-terminating proxy the session cookie is Secure.
/// </summary>
public sealed partial class ForwardedHeadersTests(ProxiedAppFactory proxied) : IClassFixture<ProxiedAppFactory>
{
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.1");

    [Fact]
    public async Task By_default_not_even_loopback_chooses_its_client_address()
    {
        await using var app = new EmbeddedAppFactory();
        await app.RegisterAsync("forwarded.test", cookieless: true);
        foreach (var client in new[] { "192.0.2.1", "192.0.2.2", "192.0.2.3" })
        {
            var response = await SendAsync(app.Server, IPAddress.Loopback, "POST", "/api/event", context =>
            {
                context.Request.Headers["X-Forwarded-For"] = client;
                context.Request.Headers.UserAgent = Api.Chrome;
                context.Request.ContentType = "text/plain";
                context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"n":"pageview","u":"https://forwarded.test/","d":"forwarded.test"}"""));
            });
            Assert.Equal(StatusCodes.Status202Accepted, response.Response.StatusCode);
        }

        // Three forwarded "clients" from one untrusted peer: one cookieless visitor (the peer), three pageviews.
        var http = app.CreateClient();
        var metrics = await Poll.UntilAsync(
            async () => (await http.QueryAsync(new { site_id = "forwarded.test", metrics = new[] { "visitors", "pageviews" }, date_range = "day" })).Metrics(),
            m => m.Length == 2 && m[1] == 3, TimeSpan.FromSeconds(30), "three pageviews on forwarded.test");
        Assert.Equal(1, metrics[0]);
    }

    [Fact]
    public async Task The_session_cookie_is_secure_when_a_trusted_proxy_says_https_and_only_then()
    {
        Assert.Contains("secure", await LoginCookieAsync(ProxiedAppFactory.Proxy, "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await LoginCookieAsync(Stranger, "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await LoginCookieAsync(ProxiedAppFactory.Proxy, null), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The session cookie set by a successful login from <paramref name="peer"/>, with X-Forwarded-Proto when given.</summary>
    private async Task<string> LoginCookieAsync(IPAddress peer, string? proto)
    {
        var form = await SendAsync(proxied.Server, peer, "GET", "/login", _ => { });
        var html = await new StreamReader(form.Response.Body).ReadToEndAsync();
        var token = WebUtility.HtmlDecode(FormToken().Match(html).Groups[1].Value);
        var antiforgery = string.Join("; ", form.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
        var login = await SendAsync(proxied.Server, peer, "POST", "/login", context =>
        {
            context.Request.Headers.Cookie = antiforgery;
            if (proto is not null)
            {
                context.Request.Headers["X-Forwarded-Proto"] = proto;
            }

            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(
                $"__RequestVerificationToken={Uri.EscapeDataString(token)}&email={Uri.EscapeDataString(TestCredentials.AdminEmail)}&password={Uri.EscapeDataString(TestCredentials.AdminPassword)}&returnUrl=%2Fdashboard%2F"));
        });
        Assert.Equal(StatusCodes.Status302Found, login.Response.StatusCode);
        return login.Response.Headers.SetCookie.Single(c => c!.StartsWith(AccessCookie, StringComparison.Ordinal))!;
    }

    private const string AccessCookie = ".AnalyticsGrid.Session=";

    private static Task<HttpContext> SendAsync(TestServer server, IPAddress peer, string method, string path, Action<HttpContext> configure) =>
        server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = path;
            context.Request.Scheme = "http";
            context.Connection.RemoteIpAddress = peer;
            configure(context);
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
