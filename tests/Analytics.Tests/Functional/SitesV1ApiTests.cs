using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

/// <summary>Plausible's Sites API paths (/api/v1/sites…), as its provisioning clients call them.</summary>
public sealed class SitesV1ApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_site_is_created_listed_read_shared_and_deleted()
    {
        var created = await _http.PostAsJsonAsync("/api/v1/sites", new { domain = "provisioned.test", timezone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var site = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("provisioned.test", "Europe/Berlin"), (site.GetProperty("domain").GetString(), site.GetProperty("timezone").GetString()));

        var again = await _http.PostAsJsonAsync("/api/v1/sites", new { domain = "provisioned.test", timezone = "Etc/UTC" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already been taken", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

        var list = await _http.GetFromJsonAsync<JsonElement>("/api/v1/sites");
        Assert.Contains(list.GetProperty("sites").EnumerateArray(), s => s.GetProperty("domain").GetString() == "provisioned.test");
        Assert.Equal("Europe/Berlin", (await _http.GetFromJsonAsync<JsonElement>("/api/v1/sites/provisioned.test")).GetProperty("timezone").GetString());

        var link = await PutSharedLinkAsync("provisioned.test", "WordPress");
        Assert.Equal("WordPress", link.GetProperty("name").GetString());
        Assert.Matches("^http://localhost/share/[A-Za-z0-9_-]+$", link.GetProperty("url").GetString());
        // Found, not made again; but only a slug's hash is kept, so its URL cannot be handed out a second time.
        using (var linkAgain = await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "provisioned.test", name = "WordPress" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, linkAgain.StatusCode);
            Assert.Contains("shown once", (await linkAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var deleted = await _http.DeleteAsync("/api/v1/sites/provisioned.test");
        Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetBoolean());
        var gone = await _http.GetAsync("/api/v1/sites/provisioned.test");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("could not be found", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_body_works_too_and_bad_input_is_400_with_an_error()
    {
        var form = await _http.PostAsync("/api/v1/sites", new FormUrlEncodedContent(new Dictionary<string, string> { ["domain"] = "form.test", ["timezone"] = "Etc/UTC" }));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);

        foreach (var body in new HttpContent[]
        {
            JsonContent.Create(new { domain = "not a domain" }),
            JsonContent.Create(new { domain = "tz.test", timezone = "Mars/Olympus" }),
            new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"),
            new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            var response = await _http.PostAsync("/api/v1/sites", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "nobody.test", name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { name = "no site" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PutAsync("/api/v1/sites/shared-links", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    private async Task<JsonElement> PutSharedLinkAsync(string site, string name)
    {
        var response = await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = site, name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
