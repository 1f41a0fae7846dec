using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

public sealed class SitesAndTrackerApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Sites_are_registered_listed_and_read_back()
    {
        var response = await _http.PostAsJsonAsync("/api/sites", new { domain = "Shop.Example", timezone = "Asia/Tokyo", cookieless = true, allowed_hostnames = new[] { "*.shop.example" } });
        response.EnsureSuccessStatusCode();

        var site = await _http.GetFromJsonAsync<JsonElement>("/api/sites/shop.example");
        Assert.Equal("shop.example", site.GetProperty("domain").GetString());
        Assert.Equal("Asia/Tokyo", site.GetProperty("timezone").GetString());
        Assert.True(site.GetProperty("cookieless").GetBoolean());
        Assert.Contains("shop.example", await _http.GetFromJsonAsync<string[]>("/api/sites") ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sites/nobody.example")).StatusCode);
    }

    [Theory]
    [InlineData("{\"domain\":\"not a domain\"}", "domain must be a hostname")]
    [InlineData("{\"domain\":\"ok.example\",\"timezone\":\"Mars/Olympus\"}", "not a known IANA time zone")]
    [InlineData("{\"domain\":\"ok.example\",\"allowed_hostnames\":[\"bad host\"]}", "allowed_hostnames")]
    public async Task Invalid_sites_get_400_problem_details(string body, string detail)
    {
        var response = await _http.PostAsync("/api/sites", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostnames_outside_the_allow_list_are_dropped()
    {
        await _http.PostAsJsonAsync("/api/sites", new { domain = "strict.example", allowed_hostnames = new[] { "strict.example" } });

        var response = await _http.PostEventAsync("""{"n":"pageview","u":"https://evil.example/","d":"strict.example"}""");

        Assert.Equal("hostname_not_allowed", Assert.Single(response.Headers.GetValues("X-Drop-Reason")));
    }

    [Fact]
    public async Task The_tracker_is_served_minified_gzipped_and_small()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/js/script.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        Assert.True(gzipped.Length < 1536, $"tracker is {gzipped.Length} bytes gzipped");
        await using var unzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        var script = await new StreamReader(unzip).ReadToEndAsync();
        Assert.Contains("keepalive", script, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  ", script, StringComparison.Ordinal);

        var again = new HttpRequestMessage(HttpMethod.Get, "/js/script.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _http.SendAsync(again)).StatusCode);
    }

    [Theory]
    [InlineData("script.tagged-events.js", true, false)]
    [InlineData("script.outbound-links.tagged-events.file-downloads.js", true, false)]
    [InlineData("script.form-submissions.hash.js", false, true)]
    [InlineData("script.hash.manual.js", false, false)]
    public async Task Plausibles_variant_file_names_serve_the_tracker_with_the_parts_they_name(string file, bool tagged, bool forms)
    {
        var response = await _http.GetAsync("/js/" + file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("X-Visitor-Cookie", script, StringComparison.Ordinal);
        Assert.Equal(tagged, script.Contains("plausible-(event|revenue)", StringComparison.Ordinal));
        Assert.Equal(forms, script.Contains("Form: Submission", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("script.unknown-feature.js")]
    [InlineData("other.js")]
    [InlineData("script.js.map")]
    public async Task Other_script_names_are_404(string file)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/js/" + file)).StatusCode);
    }

    [Fact]
    public async Task Health_alive_openapi_and_dashboard_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/alive")).StatusCode);
        var openApi = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v2/query", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/event", out _));
        var dashboard = await _http.GetAsync("/dashboard");
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
    }
}
