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
        // Found, not made again: the same URL, as Plausible answers (the slug is derived again, never stored).
        var url = link.GetProperty("url").GetString()!;
        Assert.Equal(url, (await PutSharedLinkAsync("provisioned.test", "WordPress")).GetProperty("url").GetString());
        var slug = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal(HttpStatusCode.OK, await ReadWithShareAsync(slug));
        Assert.Single((await _http.GetFromJsonAsync<JsonElement>("/api/sites/provisioned.test/shared-links")).EnumerateArray());
        foreach (var (file, bytes) in Privacy.DataFiles.Read(app.DataDirectory))
        {
            Assert.False(Privacy.DataFiles.Contains(bytes, System.Text.Encoding.UTF8.GetBytes(slug)), $"{file} holds the slug in plain text");
        }

        // Revoked and asked for again: a new link with a new URL; the old one stays dead.
        var id = (await _http.GetFromJsonAsync<JsonElement>("/api/sites/provisioned.test/shared-links"))[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/provisioned.test/shared-links/{id}")).StatusCode);
        var renewed = (await PutSharedLinkAsync("provisioned.test", "WordPress")).GetProperty("url").GetString()!;
        Assert.NotEqual(url, renewed);
        Assert.Equal(HttpStatusCode.OK, await ReadWithShareAsync(renewed[(renewed.LastIndexOf('/') + 1)..]));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithShareAsync(slug));

        var deleted = await _http.DeleteAsync("/api/v1/sites/provisioned.test");
        Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetBoolean());
        var gone = await _http.GetAsync("/api/v1/sites/provisioned.test");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("could not be found", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_properties_are_allowed_listed_and_removed_as_plausible_answers()
    {
        await app.RegisterAsync("props-v1.test");
        const string List = "/api/v1/sites/custom-props?site_id=props-v1.test";
        Assert.Empty((await _http.GetFromJsonAsync<JsonElement>(List)).GetProperty("custom_properties").EnumerateArray());

        // Idempotent, JSON or a form (Plausible's docs use -F), a key with slashes too.
        for (var i = 0; i < 2; i++)
        {
            var put = await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "props-v1.test", property = "prop1" });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.True((await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetBoolean());
        }

        var form = await _http.PutAsync("/api/v1/sites/custom-props",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "props-v1.test", ["property"] = "prop1/key/with/slashes" }));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var listed = (await _http.GetFromJsonAsync<JsonElement>(List)).GetProperty("custom_properties").EnumerateArray().Select(p => p.GetProperty("property").GetString()).ToList();
        Assert.Equal(["prop1", "prop1/key/with/slashes"], listed);
        // The site's own answers carry them as Plausible's GET /api/v1/sites/{site_id} does.
        Assert.Equal(2, (await _http.GetFromJsonAsync<JsonElement>("/api/v1/sites/props-v1.test")).GetProperty("custom_properties").GetArrayLength());
        var ours = await _http.GetFromJsonAsync<JsonElement>("/api/sites/props-v1.test/props");
        Assert.Equal(["url", "path", "search_query"], ours.GetProperty("internal").EnumerateArray().Select(p => p.GetString()));

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/sites/custom-props/prop1/key/with/slashes") { Content = JsonContent.Create(new { site_id = "props-v1.test" }) })
        {
            var deleted = await _http.SendAsync(delete);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync("/api/v1/sites/custom-props/none?site_id=props-v1.test")).StatusCode);
        Assert.Equal(["prop1"], (await _http.GetFromJsonAsync<JsonElement>(List)).GetProperty("custom_properties").EnumerateArray().Select(p => p.GetProperty("property").GetString()));

        // Plausible's errors, word for word.
        async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        await ErrorAsync(await _http.GetAsync("/api/v1/sites/custom-props"), HttpStatusCode.BadRequest, "Parameter `site_id` is required to list custom properties");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { property = "x" }), HttpStatusCode.BadRequest, "Parameter `site_id` is required to create a custom property");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "props-v1.test" }), HttpStatusCode.BadRequest, "Parameter `property` is required to create a custom property");
        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "props-v1.test", property = new string('a', 301) }), HttpStatusCode.BadRequest, "Parameter `property` is too long");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "does.not.exist", property = "x" })).StatusCode);
        await ErrorAsync(await _http.DeleteAsync("/api/v1/sites/custom-props/prop1"), HttpStatusCode.BadRequest, "Parameter `site_id` is required to delete a custom property");

        // At most 300 keys.
        for (var i = 2; i <= 300; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.PutAsJsonAsync("/api/sites/props-v1.test/props", new { property = $"prop{i}" })).StatusCode);
        }

        await ErrorAsync(await _http.PutAsJsonAsync("/api/v1/sites/custom-props", new { site_id = "props-v1.test", property = "prop301" }), HttpStatusCode.BadRequest, "Can't add any more custom properties");

        // A settings change keeps them; deleting the site erases them with it.
        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsJsonAsync("/api/sites/props-v1.test", new { timezone = "Europe/Berlin" })).StatusCode);
        Assert.Equal(300, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/props-v1.test/props")).GetProperty("allowed").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/sites/props-v1.test")).StatusCode);
        await app.RegisterAsync("props-v1.test");
        Assert.Empty((await _http.GetFromJsonAsync<JsonElement>(List)).GetProperty("custom_properties").EnumerateArray());
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
        var noName = await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = "form.test" });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal("Parameter `name` is required to create a shared link", (await noName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PutAsync("/api/v1/sites/shared-links", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    /// <summary>What the site's realtime count answers a caller holding only this share slug.</summary>
    private async Task<HttpStatusCode> ReadWithShareAsync(string slug)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats/realtime/visitors?site_id=provisioned.test");
        request.Headers.Add("X-Analytics-Share", slug);
        using var response = await app.CreateAnonymousClient().SendAsync(request);
        return response.StatusCode;
    }

    private async Task<JsonElement> PutSharedLinkAsync(string site, string name)
    {
        var response = await _http.PutAsJsonAsync("/api/v1/sites/shared-links", new { site_id = site, name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
