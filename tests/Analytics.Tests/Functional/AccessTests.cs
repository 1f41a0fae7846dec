using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// Who may call what: API keys (Bearer, hashed at rest, scoped to sites and permissions, revocable), the dashboard's
/// cookie login with its CSRF token, share links, and the security headers of the pages.
/// </summary>
public sealed class AccessTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>, IAsyncLifetime
{
    private const string Mine = "mine.test";
    private const string Theirs = "theirs.test";

    private readonly HttpClient _admin = app.CreateClient();

    public async Task InitializeAsync()
    {
        await app.RegisterAsync(Mine);
        await app.RegisterAsync(Theirs);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "POST", "/api/v2/query" },
        { "GET", "/api/v1/realtime/visitors?site_id=mine.test" },
        { "GET", "/api/sites" },
        { "GET", "/api/sites/mine.test" },
        { "POST", "/api/sites" },
        { "GET", "/api/keys" },
        { "POST", "/api/keys" },
        { "DELETE", "/api/keys/abc" },
        { "GET", "/api/sites/mine.test/shared-links" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Without_a_valid_credential_the_api_answers_401_problem(string method, string path)
    {
        using var anonymous = app.CreateAnonymousClient();
        foreach (var authorization in new[] { null, "Bearer ag_not-a-key", "Basic YWRtaW46YWRtaW4=", "Bearer " + new string('x', 5000) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonBody(Query(Mine)) };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(401, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task A_created_key_reads_only_its_sites_with_only_its_permissions_until_revoked()
    {
        var (key, created) = await _admin.CreateKeyAsync("reader", [Mine], ["stats:read"]);
        Assert.StartsWith("ag_", key, StringComparison.Ordinal);
        Assert.Equal(46, key.Length);
        using var reader = Client(key);

        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync("/api/v2/query", JsonBody(Query(Mine)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/realtime/visitors?site_id={Mine}")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await reader.PostAsync("/api/v2/query", JsonBody(Query(Theirs))));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await reader.GetAsync($"/api/v1/realtime/visitors?site_id={Theirs}"));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await reader.GetAsync($"/api/sites/{Theirs}"));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await reader.PostAsJsonAsync("/api/sites", new { domain = Mine }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await reader.GetAsync("/api/keys"));
        Assert.Equal([Mine], await reader.GetFromJsonAsync<string[]>("/api/sites") ?? []);

        // Listed by a prefix, never the key or its hash; last use recorded.
        var listed = (await _admin.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray().Single(k => k.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.Equal(key[..9], listed.GetProperty("prefix").GetString());
        Assert.DoesNotContain(key, listed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestCredentials.ApiKeyHash[..16], listed.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("last_used_at").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/keys/{listed.GetProperty("id").GetString()}")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Unauthorized, await reader.PostAsync("/api/v2/query", JsonBody(Query(Mine))));
        Assert.True((await _admin.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray().Single(k => k.GetProperty("id").GetString() == listed.GetProperty("id").GetString()).GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task A_key_cannot_create_a_key_wider_than_itself_and_bad_requests_are_400()
    {
        var (key, _) = await _admin.CreateKeyAsync("manager", [Mine], ["stats:read", "keys:manage"]);
        using var manager = Client(key);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await manager.PostAsJsonAsync("/api/keys", new { name = "wider", sites = new[] { "*" }, permissions = new[] { "stats:read" } }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await manager.PostAsJsonAsync("/api/keys", new { name = "more", sites = new[] { Mine }, permissions = new[] { "sites:manage" } }));
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync("/api/keys", new { name = "same", sites = new[] { Mine }, permissions = new[] { "stats:read" } })).StatusCode);

        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _admin.PostAsJsonAsync("/api/keys", new { name = "", sites = new[] { Mine }, permissions = new[] { "stats:read" } }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _admin.PostAsJsonAsync("/api/keys", new { name = "x", sites = new[] { "not a domain" }, permissions = new[] { "stats:read" } }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.BadRequest, await _admin.PostAsJsonAsync("/api/keys", new { name = "x", sites = new[] { Mine }, permissions = new[] { "root" } }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.NotFound, await _admin.DeleteAsync("/api/keys/no-such-key"));
    }

    [Fact]
    public async Task Keys_are_at_rest_only_as_their_hash()
    {
        var (key, _) = await _admin.CreateKeyAsync("at-rest", [Mine], ["stats:read"]);
        using var reader = Client(key);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync("/api/v2/query", JsonBody(Query(Mine)))).StatusCode);

        var files = Privacy.DataFiles.ReadAll(app.DataDirectory);
        // Positive control: the scan sees the stored hash, so it would see the key.
        var hash = Encoding.UTF8.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key))));
        Assert.Contains(files.Values, bytes => bytes.AsSpan().IndexOf(hash) >= 0);
        foreach (var (file, bytes) in files)
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) < 0, $"the key is in {file}");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key[3..])) < 0, $"the key's random part is in {file}");
        }
    }

    [Fact]
    public async Task The_dashboard_login_sets_a_safe_session_cookie_and_cookie_writes_need_the_csrf_token()
    {
        using var browser = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        // Anonymous: the page and the Orleans Dashboard send to the login page.
        foreach (var path in new[] { "/dashboard/", "/dashboard/index.html", "/orleans/" })
        {
            using var redirected = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal("/login", redirected.Headers.Location!.AbsolutePath);
        }

        // The form's antiforgery token and the right password are both required.
        using (var noToken = await browser.PostAsync("/login", Form(("email", TestCredentials.AdminEmail), ("password", TestCredentials.AdminPassword))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }

        using (var wrong = await browser.PostAsync("/login", Form(("__RequestVerificationToken", await DashboardLogin.FormTokenAsync(browser)), ("email", TestCredentials.AdminEmail), ("password", "wrong"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var login = await browser.PostAsync("/login", Form(
            ("__RequestVerificationToken", await DashboardLogin.FormTokenAsync(browser)), ("email", TestCredentials.AdminEmail), ("password", TestCredentials.AdminPassword),
            ("returnUrl", "https://evil.example/")));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard/", login.Headers.Location!.OriginalString);
        var session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AnalyticsGrid.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);

        // The page hands out the CSRF token; reads work with the cookie alone, writes need the token too.
        using var page = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csrf = Regex.Match(string.Join(';', page.Headers.GetValues("Set-Cookie")), "XSRF-TOKEN=([^;]+)").Groups[1].Value;
        Assert.NotEmpty(csrf);
        Assert.Contains(Mine, await browser.GetStringAsync("/api/sites"));
        Assert.Contains(Theirs, await browser.GetStringAsync("/api/sites"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/orleans/")).StatusCode);
        foreach (var (path, body, success) in new[] { ("/api/v2/query", Query(Theirs), HttpStatusCode.OK), ("/api/sites", new { domain = "csrf.test" }, HttpStatusCode.Created) })
        {
            await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await browser.PostAsync(path, JsonBody(body)));
            await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await browser.SendAsync(WithCsrf(path, body, "forged")));
            using var accepted = await browser.SendAsync(WithCsrf(path, body, csrf));
            Assert.Equal(success, accepted.StatusCode);
        }

        // The owner's own page views carry the session cookie (same host) but never a CSRF token: ingestion ignores the session.
        using (var beacon = await browser.PostEventAsync($$"""{"n":"pageview","u":"https://{{Mine}}/","d":"{{Mine}}"}""", contentType: "text/plain"))
        {
            Assert.Equal(HttpStatusCode.Accepted, beacon.StatusCode);
            Assert.False(beacon.Headers.Contains("X-Drop-Reason"));
        }

        // Logout is a write too; afterwards the cookie is worthless.
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await browser.PostAsync("/logout", null));
        using (var logout = await browser.SendAsync(WithCsrf("/logout", new { }, csrf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Unauthorized, await browser.GetAsync("/api/sites"));
    }

    [Fact]
    public async Task A_share_link_shows_its_site_read_only_and_nothing_else_until_revoked()
    {
        using var created = await _admin.PostAsJsonAsync($"/api/sites/{Mine}/shared-links", new { name = "public" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = await created.Content.ReadFromJsonAsync<JsonElement>();
        var slug = link.GetProperty("slug").GetString()!;
        Assert.Equal("/share/" + slug, link.GetProperty("path").GetString());

        using var visitor = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var page = await visitor.GetAsync("/share/" + slug))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        visitor.DefaultRequestHeaders.Add("X-Analytics-Share", slug);
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync("/api/v2/query", JsonBody(Query(Mine)))).StatusCode);
        Assert.Equal([Mine], await visitor.GetFromJsonAsync<string[]>("/api/sites") ?? []);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await visitor.PostAsync("/api/v2/query", JsonBody(Query(Theirs))));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await visitor.PostAsJsonAsync("/api/sites", new { domain = Mine, timezone = "Asia/Tokyo" }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await visitor.PostAsJsonAsync($"/api/sites/{Mine}/shared-links", new { name = "another" }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await visitor.GetAsync("/api/keys"));
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.GetAsync("/dashboard/")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/sites/{Mine}/shared-links/{slug}")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Unauthorized, await visitor.PostAsync("/api/v2/query", JsonBody(Query(Mine))));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.NotFound, await _admin.DeleteAsync($"/api/sites/{Mine}/shared-links/{slug}"));
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/dashboard/")]
    [InlineData("/share/some-slug")]
    public async Task Pages_send_the_security_headers(string path)
    {
        using var browser = await LoggedInAsync();
        using var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Ingestion_stays_open_but_only_for_registered_sites_and_their_hostnames()
    {
        (await _admin.PostAsJsonAsync("/api/sites", new { domain = "hosts.test", allowed_hostnames = new[] { "www.hosts.test" } })).EnsureSuccessStatusCode();
        using var anonymous = app.CreateAnonymousClient();
        Assert.Null(DropReason(await anonymous.PostEventAsync("""{"name":"pageview","url":"https://www.hosts.test/","domain":"hosts.test"}""")));
        Assert.Equal("hostname_not_allowed", DropReason(await anonymous.PostEventAsync("""{"name":"pageview","url":"https://evil.example/","domain":"hosts.test"}""")));
        Assert.Equal("unknown_site", DropReason(await anonymous.PostEventAsync("""{"name":"pageview","url":"https://nobody.test/","domain":"nobody.test"}""")));
    }

    private static string? DropReason(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.TryGetValues("X-Drop-Reason", out var values) ? values.Single() : null;
    }

    private async Task<HttpClient> LoggedInAsync()
    {
        var browser = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await DashboardLogin.PostLoginAsync(browser, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return browser;
    }


    private HttpClient Client(string key)
    {
        var http = app.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }


    private static object Query(string site) => new { site_id = site, metrics = new[] { "pageviews" }, date_range = "day" };

    private static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private static HttpRequestMessage WithCsrf(string path, object body, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) };
        request.Headers.Add(DashboardLogin.CsrfHeader, token);
        return request;
    }
}
