using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

/// <summary>Goals on our paths and on Plausible's Sites API paths, as its provisioning clients call them.</summary>
public sealed class GoalsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Goals_are_created_listed_refused_twice_and_deleted_on_our_paths()
    {
        await RegisterAsync("goals.test");
        var signup = await CreateAsync("goals.test", new { event_name = "Signup", custom_props = new { plan = "pro" }, currency = "eur" });
        Assert.Equal(("event", "Signup", "EUR"), (signup.GetProperty("goal_type").GetString(), signup.GetProperty("display_name").GetString(), signup.GetProperty("currency").GetString()));
        Assert.Equal("pro", signup.GetProperty("custom_props").GetProperty("plan").GetString());

        var blog = await CreateAsync("goals.test", new { page_path = "blog/**" });
        Assert.Equal(("page", "/blog/**", "Visit /blog/**"), (blog.GetProperty("goal_type").GetString(), blog.GetProperty("page_path").GetString(), blog.GetProperty("display_name").GetString()));
        var scroll = await CreateAsync("goals.test", new { page_path = "/pricing", scroll_threshold = 75 });
        Assert.Equal(("scroll", 75), (scroll.GetProperty("goal_type").GetString(), scroll.GetProperty("scroll_threshold").GetInt32()));

        // The same target again, or another target under a taken name: 409, nothing added.
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Conflict,
            await _http.PostAsJsonAsync("/api/sites/goals.test/goals", new { event_name = "Signup", custom_props = new { plan = "pro" } }));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Conflict,
            await _http.PostAsJsonAsync("/api/sites/goals.test/goals", new { page_path = "/other", display_name = "Signup" }));

        var listed = await _http.GetFromJsonAsync<JsonElement>("/api/sites/goals.test/goals");
        Assert.Equal(
            [signup.GetProperty("id").GetInt64(), blog.GetProperty("id").GetInt64(), scroll.GetProperty("id").GetInt64()],
            listed.EnumerateArray().Select(g => g.GetProperty("id").GetInt64()).ToArray());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/goals.test/goals/{blog.GetProperty("id").GetInt64()}")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.NotFound, await _http.DeleteAsync($"/api/sites/goals.test/goals/{blog.GetProperty("id").GetInt64()}"));
        Assert.Equal(2, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/goals.test/goals")).GetArrayLength());
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.NotFound, await _http.GetAsync("/api/sites/nobody.test/goals"));
    }

    [Theory]
    [InlineData("{}", "event_name")]
    [InlineData("{\"event_name\":\"engagement\"}", "reserved")]
    [InlineData("{\"event_name\":\"Signup\",\"scroll_threshold\":50}", "page goals only")]
    [InlineData("{\"page_path\":\"/a\",\"scroll_threshold\":101}", "0 to 100")]
    [InlineData("{\"page_path\":\"/a\",\"currency\":\"EUR\"}", "event goals only")]
    [InlineData("{\"event_name\":\"Buy\",\"currency\":\"XYZ\"}", "ISO 4217")]
    [InlineData("{\"event_name\":\"Buy\",\"custom_props\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"}}", "at most 3")]
    [InlineData("{\"event_name\":\"Buy\",\"custom_props\":[\"a\"]}", "custom_props must be an object")]
    [InlineData("{\"event_name\":[1]}", "event_name must be a string")]
    [InlineData("{\"goal_type\":\"funnel\",\"event_name\":\"x\"}", "goal_type")]
    [InlineData("[1]", "JSON object")]
    public async Task A_bad_goal_is_a_400_saying_what_to_change(string body, string expected)
    {
        await RegisterAsync("bad-goals.test");
        using var response = await _http.PostAsync("/api/sites/bad-goals.test/goals", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/bad-goals.test/goals")).GetArrayLength());
    }

    [Fact]
    public async Task Plausibles_goal_endpoints_find_or_create_list_and_delete()
    {
        await RegisterAsync("v1goals.test");
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "v1goals.test", ["goal_type"] = "event", ["event_name"] = "Signup" });
        var created = await PutGoalAsync(form);
        Assert.Equal(("event", "Signup", "v1goals.test"), (created.GetProperty("goal_type").GetString(), created.GetProperty("event_name").GetString(), created.GetProperty("domain").GetString()));
        // Idempotent: the same goal is found, not made again.
        var again = await PutGoalAsync(JsonContent.Create(new { site_id = "v1goals.test", goal_type = "event", event_name = "Signup" }));
        Assert.Equal(created.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        var page = await PutGoalAsync(JsonContent.Create(new { site_id = "v1goals.test", goal_type = "page", page_path = "/thanks" }));
        Assert.Equal("Visit /thanks", page.GetProperty("display_name").GetString());

        var list = await _http.GetFromJsonAsync<JsonElement>("/api/v1/sites/goals?site_id=v1goals.test");
        Assert.Equal(
            [page.GetProperty("id").GetInt64(), created.GetProperty("id").GetInt64()],
            list.GetProperty("goals").EnumerateArray().Select(g => g.GetProperty("id").GetInt64()).ToArray());
        Assert.True(list.GetProperty("meta").TryGetProperty("limit", out _));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/goals/{created.GetProperty("id").GetInt64()}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["site_id"] = "v1goals.test" }),
        };
        var deleted = await _http.SendAsync(delete);
        Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetBoolean());
        // A JSON body sent without a length (chunked) names the site too.
        using var deleteJson = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/goals/{page.GetProperty("id").GetInt64()}")
        {
            Content = JsonContent.Create(new { site_id = "v1goals.test" }),
        };
        var deletedJson = await _http.SendAsync(deleteJson);
        Assert.True((await deletedJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetBoolean());
        var gone = await _http.DeleteAsync($"/api/v1/sites/goals/{created.GetProperty("id").GetInt64()}?site_id=v1goals.test");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("Goal could not be found", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var noType = await _http.PutAsJsonAsync("/api/v1/sites/goals", new { site_id = "v1goals.test", event_name = "X" });
        Assert.Equal(HttpStatusCode.BadRequest, noType.StatusCode);
        Assert.Contains("goal_type", (await noType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsJsonAsync("/api/v1/sites/goals", new { site_id = "nobody.test", goal_type = "event", event_name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/api/v1/sites/goals")).StatusCode);
    }

    [Fact]
    public async Task A_key_reads_and_writes_goals_only_within_its_scope_and_permissions()
    {
        await RegisterAsync("scoped-goals.test");
        await RegisterAsync("other-goals.test");
        var (reader, _) = await _http.CreateKeyAsync("goal reader", ["scoped-goals.test"], ["stats:read"]);
        using var http = app.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/sites/scoped-goals.test/goals")).StatusCode);
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await http.GetAsync("/api/sites/other-goals.test/goals"));
        await ApiKeyRequests.AssertProblemAsync(HttpStatusCode.Forbidden, await http.PostAsJsonAsync("/api/sites/scoped-goals.test/goals", new { event_name = "X" }));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/sites/goals?site_id=other-goals.test")).StatusCode);
        Assert.Equal(0, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/scoped-goals.test/goals")).GetArrayLength());
    }

    [Fact]
    public async Task Deleting_a_site_forgets_its_goals()
    {
        await RegisterAsync("erased-goals.test");
        await CreateAsync("erased-goals.test", new { event_name = "Signup" });
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/sites/erased-goals.test")).StatusCode);
        await RegisterAsync("erased-goals.test");
        Assert.Equal(0, (await _http.GetFromJsonAsync<JsonElement>("/api/sites/erased-goals.test/goals")).GetArrayLength());
    }

    private async Task RegisterAsync(string domain)
    {
        using var response = await _http.PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC" });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> CreateAsync(string domain, object goal)
    {
        using var response = await _http.PostAsJsonAsync($"/api/sites/{domain}/goals", goal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private async Task<JsonElement> PutGoalAsync(HttpContent content)
    {
        using var response = await _http.PutAsync("/api/v1/sites/goals", content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }
}
