using System.Net;
using System.Net.Http.Json;
using System.Text;
using Analytics.Testing;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Tests.Security;

/// <summary>Each class of request once seen as a 500 now gets a 4xx problem (or its documented success).</summary>
public sealed class NeverA500Tests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    /// <summary>A lone surrogate: valid JSON syntax, but no Unicode string.</summary>
    private const string LoneSurrogate = "\\ud800";

    [Fact]
    public async Task A_lone_surrogate_in_any_json_string_is_a_400_problem()
    {
        await app.RegisterAsync("unicode.test");
        using var anonymous = app.CreateAnonymousClient();
        string[] beacons =
        [
            $$"""{"name":"pageview{{LoneSurrogate}}","url":"https://unicode.test/","domain":"unicode.test"}""",
            $$"""{"name":"pageview","url":"https://unicode.test/{{LoneSurrogate}}","domain":"unicode.test"}""",
            $$"""{"name":"pageview","url":"https://unicode.test/","domain":"unicode.test{{LoneSurrogate}}"}""",
            $$"""{"name":"pageview","url":"https://unicode.test/","domain":"unicode.test","referrer":"{{LoneSurrogate}}"}""",
            $$$"""{"name":"Signup","url":"https://unicode.test/","domain":"unicode.test","props":{"{{{LoneSurrogate}}}":"x"}}""",
            $$$"""{"name":"Signup","url":"https://unicode.test/","domain":"unicode.test","props":{"plan":"{{{LoneSurrogate}}}"}}""",
        ];
        foreach (var beacon in beacons)
        {
            await AssertProblemAsync(HttpStatusCode.BadRequest, await anonymous.PostEventAsync(beacon), beacon);
        }

        var admin = app.CreateClient();
        string[] queries =
        [
            $$"""{"site_id":"unicode.test{{LoneSurrogate}}","metrics":["visitors"],"date_range":"day"}""",
            $$"""{"site_id":"unicode.test","metrics":["visitors{{LoneSurrogate}}"],"date_range":"day"}""",
            $$"""{"site_id":"unicode.test","metrics":["visitors"],"date_range":"day","dimensions":["event:page"],"filters":[["contains","event:page",["{{LoneSurrogate}}"]]]}""",
        ];
        foreach (var query in queries)
        {
            await AssertProblemAsync(HttpStatusCode.BadRequest, await admin.PostAsync("/api/v2/query", new StringContent(query, Encoding.UTF8, "application/json")), query);
        }

        foreach (var (path, body) in new[]
        {
            ("/api/sites", $$"""{"domain":"unicode.test","timezone":"Etc/UTC{{LoneSurrogate}}"}"""),
            ("/api/keys", $$"""{"name":"k{{LoneSurrogate}}","sites":["unicode.test"],"permissions":["stats:read"]}"""),
            ("/api/sites/unicode.test/shared-links", $$"""{"name":"{{LoneSurrogate}}"}"""),
        })
        {
            await AssertProblemAsync(HttpStatusCode.BadRequest, await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")), body);
        }
    }

    [Fact]
    public async Task A_body_in_a_charset_no_reader_here_knows_is_a_415_problem_before_any_endpoint_reads_it()
    {
        var admin = app.CreateClient();
        foreach (var charset in new[] { "bogus", "\"utf-16\"", "utf-7" })
        {
            using var content = new ByteArrayContent("""{"name":"k","sites":["*"],"permissions":["stats:read"]}"""u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            await AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, await admin.PostAsync("/api/keys", content), charset);
        }

        // A charset it knows is read: UTF-16 with a lone surrogate is the 400 its UTF-8 spelling is.
        using var utf16 = new StringContent($$"""{"name":"k{{LoneSurrogate}}","sites":["*"],"permissions":["stats:read"]}""", Encoding.Unicode, "application/json");
        await AssertProblemAsync(HttpStatusCode.BadRequest, await admin.PostAsync("/api/keys", utf16), "utf-16");
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("%20%20")]
    [InlineData("%09")]
    [InlineData("a_b")]
    [InlineData("a..b")]
    [InlineData("-")]
    public async Task Blank_or_odd_domains_in_paths_are_4xx_problems(string domain)
    {
        var admin = app.CreateClient();
        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/sites/{domain}"), ("DELETE", $"/api/sites/{domain}"), ("GET", $"/api/sites/{domain}/shared-links"),
            ("POST", $"/api/sites/{domain}/shared-links"), ("GET", $"/api/sites/{domain}/export/events.csv?from=2026-01-01&to=2026-01-02"),
            ("GET", $"/api/sites/{domain}/export/aggregates.csv?from=2026-01-01&to=2026-01-02"), ("GET", $"/api/v1/realtime/visitors?site_id={domain}"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { name = "x" }) : null };
            using var response = await admin.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var site = Uri.UnescapeDataString(domain);
        using var query = await admin.PostAsJsonAsync("/api/v2/query", new { site_id = site, metrics = new[] { "visitors" }, date_range = "day" });
        Assert.True(query.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"query for '{site}': {(int)query.StatusCode}");
        Assert.Equal("application/problem+json", query.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("America/Santiago", "2022-09-11")]
    [InlineData("Africa/Cairo", "2023-04-28")]
    [InlineData("Asia/Beirut", "2023-03-26")]
    [InlineData("America/Havana", "2023-03-12")]
    [InlineData("Pacific/Apia", "2011-12-30")]
    public async Task Exports_around_a_day_without_a_local_midnight_answer_csv(string timezone, string day)
    {
        // Positive control: that local midnight really does not exist.
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(TimeZoneInfo.FindSystemTimeZoneById(timezone).IsInvalidTime(date.ToDateTime(TimeOnly.MinValue)), $"{day} 00:00 exists in {timezone}");

        var site = "dst-" + timezone.Replace('/', '-').ToLowerInvariant() + ".test";
        await app.RegisterAsync(site, timezone);
        var admin = app.CreateClient();
        var before = date.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (from, to) in new[] { (day, day), (before, before), (before, day) })
        {
            foreach (var file in new[] { "events.csv", "aggregates.csv" })
            {
                using var response = await admin.GetAsync($"/api/sites/{site}/export/{file}?from={from}&to={to}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file} {from}..{to} in {timezone}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Theory]
    [InlineData("/dashboard/\u0001")]
    [InlineData("/dashboard/\r\nSet-Cookie: a=b")]
    [InlineData("/\u007f")]
    [InlineData("/\t/evil.example")]
    public async Task A_login_whose_return_url_carries_control_characters_lands_on_the_dashboard(string returnUrl)
    {
        using var browser = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await DashboardLogin.FormTokenAsync(browser),
            ["email"] = TestCredentials.AdminEmail,
            ["password"] = TestCredentials.AdminPassword,
            ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard/", login.Headers.Location?.OriginalString);
    }

    private static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response, string what)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{what}: {(int)response.StatusCode} instead of {(int)expected}: {body[..Math.Min(300, body.Length)]}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
