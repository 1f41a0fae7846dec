using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Analytics.Tests.Functional;

/// <summary>
/// The embedded app with segments.test seeded once with three pageviews today, one visitor each:
/// a reads /pricing with Chrome, b reads /blog with Firefox, c reads /pricing with Firefox.
/// </summary>
public sealed class SavedSegmentsFixture : EmbeddedAppFactory, IAsyncLifetime
{
    public const string Site = "segments.test";
    public const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

    public async Task InitializeAsync()
    {
        await RegisterAsync(Site);
        var http = CreateClient();
        foreach (var (path, visitor, agent) in new[] { ("/pricing", "visitor-aaaa", Api.Chrome), ("/blog", "visitor-bbbb", Firefox), ("/pricing", "visitor-cccc", Firefox) })
        {
            Assert.Equal(HttpStatusCode.Accepted,
                (await http.PostEventAsync($$"""{"n":"pageview","u":"https://{{Site}}{{path}}","d":"{{Site}}","vid":"{{visitor}}"}""", agent)).StatusCode);
        }

        await http.WaitForPageviewsAsync(Site, 3);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>Saved segments: their API's validation, and ["is", "segment", [id]] in v2 filters standing for the saved filters.</summary>
public sealed class SavedSegmentsApiTests(SavedSegmentsFixture app) : IClassFixture<SavedSegmentsFixture>
{
    private const string Site = SavedSegmentsFixture.Site;
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task A_segment_filter_counts_what_its_saved_filters_count()
    {
        var pricing = await CreateAsync("Pricing readers", """[["is","event:page",["/pricing"]]]""");
        var firefox = await CreateAsync("Firefox", """[["is","visit:browser",["Firefox"]]]""");

        // a and c read /pricing; b and c use Firefox.
        Assert.Equal(new double[] { 2, 2 }, await VisitorsAndPageviewsAsync($$"""[["is","segment",[{{pricing}}]]]"""));
        Assert.Equal(new double[] { 2, 2 }, await VisitorsAndPageviewsAsync($$"""[["is","segment",["{{firefox}}"]]]"""));
        // Several ids: any of the segments (a, b, c).
        Assert.Equal(new double[] { 3, 3 }, await VisitorsAndPageviewsAsync($$"""[["is","segment",[{{pricing}},{{firefox}}]]]"""));
        // Beside other filters (c), and inside connectives (not /pricing and not Chrome: b).
        Assert.Equal(new double[] { 1, 1 }, await VisitorsAndPageviewsAsync($$"""[["is","segment",[{{pricing}}]],["is","visit:browser",["Firefox"]]]"""));
        Assert.Equal(new double[] { 1, 1 }, await VisitorsAndPageviewsAsync($$"""[["not",["or",[["is","segment",[{{pricing}}]],["is","visit:browser",["Chrome"]]]]]]"""));

        // A changed segment answers with its new filters at once (the cache keys on the expanded tree).
        using (var patched = await _http.PatchAsync($"/api/sites/{Site}/segments/{pricing}", Json("""{"segment_data":{"filters":[["is","event:page",["/blog"]]]}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(new double[] { 1, 1 }, await VisitorsAndPageviewsAsync($$"""[["is","segment",[{{pricing}}]]]"""));
    }

    [Fact]
    public async Task Unknown_or_malformed_segment_filters_are_a_400_naming_the_id()
    {
        await AssertQueryProblemAsync("""[["is","segment",[987654]]]""", "Unknown segment 987654");
        await AssertQueryProblemAsync("""[["is_not","segment",[1]]]""", "[\"is\", \"segment\", [segment ids]]");
        await AssertQueryProblemAsync("""[["is","segment",["one"]]]""", "integers");
    }

    [Fact]
    public async Task Segments_are_listed_renamed_refused_when_invalid_and_deleted()
    {
        var id = await CreateAsync("Blog", """[["contains","event:page",["blog"],{"case_sensitive":false}]]""");
        var listed = await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/segments");
        var blog = listed.EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == id);
        Assert.Equal(("Blog", "site"), (blog.GetProperty("name").GetString(), blog.GetProperty("type").GetString()));
        Assert.Equal("contains", blog.GetProperty("segment_data").GetProperty("filters")[0][0].GetString());

        // Names are unique within the site: 409 on create and on rename.
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync("""{"name":"Blog","segment_data":{"filters":[["is","event:page",["/"]]]}}""")).StatusCode);
        var other = await CreateAsync("Home", """[["is","event:page",["/"]]]""");
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PatchAsync($"/api/sites/{Site}/segments/{other}", Json("""{"name":"Blog"}"""))).StatusCode);
        using (var renamed = await _http.PatchAsync($"/api/sites/{Site}/segments/{other}", Json("""{"name":"Front page"}""")))
        {
            Assert.Equal("Front page", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/{Site}/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/api/sites/{Site}/segments/{id}")).StatusCode);
        await AssertQueryProblemAsync($$"""[["is","segment",[{{id}}]]]""", $"Unknown segment {id}");
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/sites/nobody.test/segments")).StatusCode);
    }

    [Theory]
    [InlineData("""{"segment_data":{"filters":[["is","event:page",["/"]]]}}""", "name is required")]
    [InlineData("""{"name":"","segment_data":{"filters":[["is","event:page",["/"]]]}}""", "1 to 255")]
    [InlineData("""{"name":"x","segment_data":{"filters":[]}}""", "non-empty array")]
    [InlineData("""{"name":"x","segment_data":{"filters":[["is","visit:nope",["a"]]]}}""", "Unknown filter dimension 'visit:nope'")]
    [InlineData("""{"name":"x","segment_data":{"filters":[["matches","event:page",["(a)\\1"]]]}}""", "linear time")]
    [InlineData("""{"name":"x","segment_data":{"filters":[["and",[["is","segment",[1]]]]]}}""", "may not use other segments")]
    [InlineData("""{"name":"x","type":"personal","segment_data":{"filters":[["is","event:page",["/"]]]}}""", "type must be \"site\"")]
    [InlineData("""{"name":"x","filters":[]}""", "Unknown key 'filters'")]
    [InlineData("""[1]""", "JSON object")]
    public async Task A_bad_segment_is_a_400_saying_what_to_change(string body, string expected)
    {
        using var response = await PostAsync(body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Segments_go_with_the_erased_site()
    {
        const string domain = "erased-segments.test";
        await app.RegisterAsync(domain);
        using (var created = await _http.PostAsync($"/api/sites/{domain}/segments", Json("""{"name":"All","segment_data":{"filters":[["is","event:page",["/"]]]}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteSiteAsync(domain)).StatusCode);
        await app.RegisterAsync(domain);
        Assert.Equal(0, (await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{domain}/segments")).GetArrayLength());
    }

    private async Task<long> CreateAsync(string name, string filters)
    {
        using var response = await PostAsync($$$"""{"name":"{{{name}}}","type":"site","segment_data":{"filters":{{{filters}}}}}""");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetInt64();
    }

    private Task<HttpResponseMessage> PostAsync(string body) => _http.PostAsync($"/api/sites/{Site}/segments", Json(body));

    private async Task<double[]> VisitorsAndPageviewsAsync(string filters)
    {
        using var response = await _http.PostAsync("/api/v2/query", Json($$"""{"site_id":"{{Site}}","metrics":["visitors","pageviews"],"date_range":"day","filters":{{filters}}}"""));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.Metrics();
    }

    private async Task AssertQueryProblemAsync(string filters, string expected)
    {
        using var response = await _http.PostAsync("/api/v2/query", Json($$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","filters":{{filters}}}"""));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
