using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>Registering is POST (once), changing settings is PUT / PATCH; and what was dropped for a site, by reason.</summary>
public sealed class SiteSettingsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Registering_a_known_domain_again_is_a_409_that_changes_nothing()
    {
        using var created = await _http.PostAsJsonAsync("/api/sites", new { domain = "again.test", timezone = "Europe/Berlin", respect_dnt = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/sites/again.test", created.Headers.Location?.OriginalString);

        using var again = await _http.PostAsJsonAsync("/api/sites", new { domain = "Again.Test" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Contains("PUT or PATCH", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var site = await _http.GetFromJsonAsync<JsonElement>("/api/sites/again.test");
        Assert.Equal("Europe/Berlin", site.GetProperty("timezone").GetString());
        Assert.True(site.GetProperty("respect_dnt").GetBoolean());
    }

    [Fact]
    public async Task Patch_changes_only_the_named_settings_and_put_replaces_them_all()
    {
        (await _http.PostAsJsonAsync("/api/sites", new { domain = "edit.test", timezone = "Asia/Tokyo", cookieless = true, allowed_hostnames = new[] { "edit.test" } })).EnsureSuccessStatusCode();
        var createdAt = (await _http.GetFromJsonAsync<JsonElement>("/api/sites/edit.test")).GetProperty("created_at").GetDateTime();

        using var patched = await _http.PatchAsJsonAsync("/api/sites/edit.test", new { respect_dnt = true });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var site = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Asia/Tokyo", site.GetProperty("timezone").GetString());
        Assert.True(site.GetProperty("cookieless").GetBoolean());
        Assert.True(site.GetProperty("respect_dnt").GetBoolean());
        Assert.Equal(["edit.test"], site.GetProperty("allowed_hostnames").EnumerateArray().Select(h => h.GetString()));

        using var replaced = await _http.PutAsJsonAsync("/api/sites/edit.test", new { timezone = "America/New_York" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        site = await _http.GetFromJsonAsync<JsonElement>("/api/sites/edit.test");
        Assert.Equal("America/New_York", site.GetProperty("timezone").GetString());
        Assert.False(site.GetProperty("cookieless").GetBoolean());
        Assert.False(site.GetProperty("respect_dnt").GetBoolean());
        Assert.Empty(site.GetProperty("allowed_hostnames").EnumerateArray());
        Assert.Equal(createdAt, site.GetProperty("created_at").GetDateTime());
    }

    [Fact]
    public async Task A_measurement_id_is_set_by_patch_kept_by_other_patches_cleared_by_an_empty_one_and_never_shared()
    {
        (await _http.PostAsJsonAsync("/api/sites", new { domain = "ga4-edit.test" })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync("/api/sites", new { domain = "ga4-other.test" })).EnsureSuccessStatusCode();

        (await _http.PatchAsJsonAsync("/api/sites/ga4-edit.test", new { ga4_measurement_id = "g-edit0001" })).EnsureSuccessStatusCode();
        (await _http.PatchAsJsonAsync("/api/sites/ga4-edit.test", new { cookieless = true })).EnsureSuccessStatusCode();
        Assert.Equal("G-EDIT0001", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/ga4-edit.test")).GetProperty("ga4_measurement_id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PatchAsJsonAsync("/api/sites/ga4-other.test", new { ga4_measurement_id = "G-EDIT0001" })).StatusCode);

        (await _http.PatchAsJsonAsync("/api/sites/ga4-edit.test", new { ga4_measurement_id = "" })).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/ga4-edit.test")).GetProperty("ga4_measurement_id").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await _http.PatchAsJsonAsync("/api/sites/ga4-other.test", new { ga4_measurement_id = "G-EDIT0001" })).StatusCode);
    }

    [Fact]
    public async Task A_locale_is_stored_as_ICU_spells_it_kept_by_other_patches_and_cleared_by_an_empty_one()
    {
        using var created = await _http.PostAsJsonAsync("/api/sites", new { domain = "locale.test", locale = "de-de" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("de-DE", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("locale").GetString());

        (await _http.PatchAsJsonAsync("/api/sites/locale.test", new { respect_dnt = true })).EnsureSuccessStatusCode();
        Assert.Equal("de-DE", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/locale.test")).GetProperty("locale").GetString());
        (await _http.PatchAsJsonAsync("/api/sites/locale.test", new { locale = "pt-BR" })).EnsureSuccessStatusCode();
        Assert.Equal("pt-BR", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/locale.test")).GetProperty("locale").GetString());

        (await _http.PatchAsJsonAsync("/api/sites/locale.test", new { locale = "" })).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/locale.test")).GetProperty("locale").ValueKind);
        (await _http.PutAsJsonAsync("/api/sites/locale.test", new { locale = "ja-JP" })).EnsureSuccessStatusCode();
        Assert.Equal("ja-JP", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/locale.test")).GetProperty("locale").GetString());
    }

    [Theory]
    [InlineData("PATCH", "/api/sites/bad-edit.test", "{\"locale\":\"zz-ZZ\"}", HttpStatusCode.BadRequest, "not a known BCP 47 locale")]
    [InlineData("PATCH", "/api/sites/bad-edit.test", "{\"locale\":\"not a locale\"}", HttpStatusCode.BadRequest, "not a known BCP 47 locale")]
    [InlineData("POST", "/api/sites", "{\"domain\":\"bad-locale.test\",\"locale\":\"en-XX-klingon\"}", HttpStatusCode.BadRequest, "not a known BCP 47 locale")]
    [InlineData("PATCH", "/api/sites/nobody.test", "{\"timezone\":\"Etc/UTC\"}", HttpStatusCode.NotFound, "No site")]
    [InlineData("PUT", "/api/sites/nobody.test", "{}", HttpStatusCode.NotFound, "No site")]
    [InlineData("PATCH", "/api/sites/bad-edit.test", "{\"timezone\":\"Mars/Olympus\"}", HttpStatusCode.BadRequest, "not a known IANA time zone")]
    [InlineData("PATCH", "/api/sites/bad-edit.test", "{\"allowed_hostnames\":[\"bad host\"]}", HttpStatusCode.BadRequest, "allowed_hostnames")]
    [InlineData("PUT", "/api/sites/bad-edit.test", "{\"domain\":\"not a domain\"}", HttpStatusCode.BadRequest, "domain: must be a hostname")]
    public async Task Bad_edits_get_a_problem_that_says_why(string method, string path, string body, HttpStatusCode status, string detail)
    {
        await _http.PostAsJsonAsync("/api/sites", new { domain = "bad-edit.test" });

        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Etc/UTC", (await _http.GetFromJsonAsync<JsonElement>("/api/sites/bad-edit.test")).GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Dropped_beacons_are_reported_per_site_and_reason_for_the_last_hour()
    {
        (await _http.PostAsJsonAsync("/api/sites", new { domain = "dropped.test", allowed_hostnames = new[] { "dropped.test" } })).EnsureSuccessStatusCode();
        const string Headless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
        for (var i = 0; i < 3; i++)
        {
            await _http.PostEventAsync("""{"n":"pageview","u":"https://dropped.test/","d":"dropped.test"}""", Headless);
        }

        await _http.PostEventAsync("""{"n":"pageview","u":"https://elsewhere.example/","d":"dropped.test"}""");
        await _http.PostEventAsync("""{"n":"pageview","u":"https://dropped.test/","d":"dropped.test"}""");
        // A beacon for a domain nobody registered is not reported under any site.
        await _http.PostEventAsync("""{"n":"pageview","u":"https://ghost.test/","d":"ghost.test"}""");

        var drops = await Poll.UntilAsync(
            () => _http.GetFromJsonAsync<JsonElement>("/api/sites/dropped.test/drops"),
            d => d.GetProperty("total").GetInt64() == 4,
            TimeSpan.FromSeconds(15), "the drops to be reported");
        Assert.Equal(60, drops.GetProperty("window_minutes").GetInt32());
        Assert.Equal(3, drops.GetProperty("reasons").GetProperty("bot").GetInt64());
        Assert.Equal(1, drops.GetProperty("reasons").GetProperty("hostname_not_allowed").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sites/ghost.test/drops")).StatusCode);

        // Deleting the site forgets them: registered again, it starts from zero.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/sites/dropped.test")).StatusCode);
        (await _http.PostAsJsonAsync("/api/sites", new { domain = "dropped.test" })).EnsureSuccessStatusCode();
        Assert.Equal(0, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/dropped.test/drops")).GetProperty("total").GetInt64());
    }
}
