using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Tests.Ga4;
using Analytics.Tests.Privacy;

namespace Analytics.Tests.Functional;

/// <summary>
/// A site's domain changed as Plausible's PUT /api/v1/sites/{site_id} changes it (and our PUT/PATCH /api/sites/{domain}):
/// everything of the site stays reachable under the new domain, the former one still counts for the transition, and
/// deleting the renamed site erases everything under both names.
/// </summary>
public sealed class DomainChangeTests : IAsyncLifetime
{
    private readonly EmbeddedAppFactory _app = new();
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _app.CreateClient();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_renamed_site_keeps_its_data_goals_props_links_keys_and_ga4_and_its_former_domain_counts_for_a_while()
    {
        var stream = await _app.RegisterStreamAsync("old-name.test", "G-RENAME001");
        await _app.RegisterAsync("other-name.test");
        (await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "old-name.test", property = "plan" })).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync("/api/v1/sites/goals", new { site_id = "old-name.test", goal_type = "event", event_name = "Signup" })).EnsureSuccessStatusCode();
        var url = (await (await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "old-name.test", name = "WordPress" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        var created = await _http.PostAsJsonAsync("/api/keys", new { name = "reader", sites = new[] { "old-name.test" }, permissions = new[] { "stats:read" } });
        var reader = _app.CreateAnonymousClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        await SendAsync("old-name.test", "renamevisitor1", "pageview", "/before");
        await _http.WaitForPageviewsAsync("old-name.test", 1);

        var renamed = await _http.PutAsJsonAsync("/api/v1/sites/old-name.test", new { domain = "new-name.test" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var site = await renamed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("new-name.test", site.GetProperty("domain").GetString());
        Assert.Equal(["plan"], site.GetProperty("custom_properties").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("G-RENAME001", site.GetProperty("ga4_measurement_id").GetString());

        // Under the new domain: the data, goals, props, share link (the same URL), the key (its scope renamed), the GA4 secret.
        Assert.Equal(1, await _http.PageviewsTodayAsync("new-name.test"));
        Assert.Contains(await _http.GetFromJsonAsync<string[]>("/api/sites") ?? [], d => d == "new-name.test");
        Assert.DoesNotContain("old-name.test", await _http.GetFromJsonAsync<string[]>("/api/sites") ?? []);
        Assert.Equal("Signup", (await _http.GetFromJsonAsync<JsonElement>("/api/v1/sites/goals?site_id=new-name.test")).GetProperty("goals")[0].GetProperty("event_name").GetString());
        Assert.Equal(url, (await (await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "new-name.test", name = "WordPress" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
        Assert.Equal(1, await reader.PageviewsTodayAsync("new-name.test"));
        Assert.Contains((await _http.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray(),
            k => k.GetProperty("name").GetString() == "reader" && k.GetProperty("sites")[0].GetString() == "new-name.test");
        var mp = await _app.CreateAnonymousClient().PostMpAsync(stream, """
            {"client_id":"9.9","events":[{"name":"page_view","params":{"page_location":"https://new-name.test/mp"}}]}
            """);
        Assert.False(mp.Headers.Contains("X-Drop-Reason"));
        Assert.Single((await _http.GetFromJsonAsync<JsonElement>("/api/sites/new-name.test/mp-secrets")).EnumerateArray());

        // The former domain: still counted for the site (pages with the old script tag) and still names it, for 72 hours.
        await SendAsync("old-name.test", "renamevisitor2", "pageview", "/old-tag");
        await SendAsync("new-name.test", "renamevisitor3", "pageview", "/new-tag");
        await _http.WaitForPageviewsAsync("new-name.test", 4);
        Assert.Equal(4, await _http.PageviewsTodayAsync("old-name.test"));
        Assert.Equal("new-name.test", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/old-name.test")).GetProperty("domain").GetString());

        // As Plausible answers: the former domain cannot be registered, nor renamed to; other refusals word for word.
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync("/api/sites", new { domain = "old-name.test" })).StatusCode);
        await ErrorAsync(await _http.PostAsJsonAsync("/api/v1/sites", new { domain = "old-name.test" }),
            "domain: This domain cannot be registered. Perhaps one of your colleagues registered it?");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/other-name.test", new { domain = "old-name.test" }),
            "domain: This domain cannot be registered. Perhaps one of your colleagues registered it?");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/new-name.test", new { domain = "other-name.test" }),
            "domain: This domain cannot be registered. Perhaps one of your colleagues registered it?");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/new-name.test", new { domain = "new-name.test" }),
            "domain: New domain must be different than the current one");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/new-name.test", new { timezone = "Etc/UTC" }),
            "Payload must contain at least one of the parameters 'domain', 'tracker_script_configuration'");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsJsonAsync("/api/v1/sites/nobody-name.test", new { domain = "x-name.test" })).StatusCode);

        // Our own PATCH changes it again (with a setting): Plausible keeps one former domain, so the first one is free now.
        var again = await _http.PatchAsJsonAsync("/api/sites/new-name.test", new { domain = "third-name.test", respect_dnt = true });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("respect_dnt").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sites/old-name.test")).StatusCode);
        Assert.Equal("third-name.test", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/new-name.test")).GetProperty("domain").GetString());
        Assert.Equal(4, await _http.PageviewsTodayAsync("third-name.test"));
        var late = await _http.PostEventAsync("""{"name":"pageview","url":"https://old-name.test/late","domain":"old-name.test"}""");
        Assert.Equal("unknown_site", late.Headers.GetValues("X-Drop-Reason").Single());

        // Its first domain, whose key still holds the renamed site's data, registered anew: a site of its own, from zero.
        await _app.RegisterAsync("old-name.test");
        Assert.Equal(0, await _http.PageviewsTodayAsync("old-name.test"));
        Assert.Equal(4, await _http.PageviewsTodayAsync("third-name.test"));
        await SendAsync("old-name.test", "renamevisitor4", "pageview", "/fresh");
        await _http.WaitForPageviewsAsync("old-name.test", 1);
        Assert.Equal(4, await _http.PageviewsTodayAsync("third-name.test"));
    }

    [Fact]
    public async Task Deleting_a_renamed_site_erases_everything_under_both_names()
    {
        var stream = await _app.RegisterStreamAsync("first-erase.test", "G-RENAME002");
        await _app.RegisterAsync("keep-erase.test");
        (await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "first-erase.test", property = "plan" })).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync("/api/v1/sites/goals", new { site_id = "first-erase.test", goal_type = "event", event_name = "Signup" })).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "first-erase.test", name = "public" })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync("/api/keys", new { name = "erasekey", sites = new[] { "first-erase.test" }, permissions = new[] { "stats:read" } })).EnsureSuccessStatusCode();
        await SendAsync("first-erase.test", "erasename01", "pageview", "/");
        await SendAsync("keep-erase.test", "keepname01", "pageview", "/");
        await _http.WaitForPageviewsAsync("first-erase.test", 1);

        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsJsonAsync("/api/v1/sites/first-erase.test", new { domain = "second-erase.test" })).StatusCode);
        await SendAsync("second-erase.test", "erasename02", "Signup", "/signup");
        await SendAsync("first-erase.test", "erasename03", "pageview", "/old");
        await _http.WaitForPageviewsAsync("second-erase.test", 2);
        Assert.False((await _app.CreateAnonymousClient().PostMpAsync(stream, """{"client_id":"8.8","events":[{"name":"page_view"}]}""")).Headers.Contains("X-Drop-Reason"));
        await _http.WaitForPageviewsAsync("second-erase.test", 3);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteSiteAsync("second-erase.test")).StatusCode);
        foreach (var domain in new[] { "first-erase.test", "second-erase.test" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/sites/{domain}")).StatusCode);
            var late = await _http.PostEventAsync($$"""{"name":"pageview","url":"https://{{domain}}/late","domain":"{{domain}}"}""");
            Assert.Equal("unknown_site", late.Headers.GetValues("X-Drop-Reason").Single());
        }

        Assert.Equal("unknown_site", (await _app.CreateAnonymousClient().PostMpAsync(stream, """{"client_id":"8.8","events":[{"name":"page_view"}]}"""))
            .Headers.GetValues("X-Drop-Reason").Single());
        Assert.DoesNotContain((await _http.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray(), k => k.GetProperty("name").GetString() == "erasekey");

        var files = DataFiles.ReadAll(_app.DataDirectory);
        Assert.True(files.Values.Any(b => DataFiles.Contains(b, Encoding.UTF8.GetBytes("keepname01"))), "control: the other site's visitor is found");
        foreach (var secret in new[] { "first-erase.test", "second-erase.test", "erasename01", "erasename02", "erasename03", "G-RENAME002" })
        {
            foreach (var (file, bytes) in files)
            {
                Assert.False(DataFiles.Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"'{secret}' is still in {file}");
                Assert.False(DataFiles.Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"'{secret}' (UTF-16) is still in {file}");
            }
        }

        Assert.Equal(1, await _http.PageviewsTodayAsync("keep-erase.test"));
    }

    private static async Task ErrorAsync(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private async Task SendAsync(string site, string visitor, string name, string path)
    {
        var body = JsonSerializer.Serialize(new { name, url = $"https://{site}{path}", domain = site, v = visitor });
        var response = await _http.PostEventAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Drop-Reason"), $"{body} was dropped");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
