using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// Imports through the HTTP API, with numbers worked out by hand. imports.test has two native pageviews today (a on
/// /pricing, b on /blog: two bouncing visits of 0 s) and a Plausible export of the two days before (<see cref="Export"/>).
/// </summary>
public sealed class ImportsApiTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly DateOnly Day1 = Today.AddDays(-2);
    private static readonly DateOnly Day2 = Today.AddDays(-1);
    private readonly HttpClient _http = app.CreateClient();

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Day 1: 10 visitors, 12 visits (4 bounces, 600 s), 30 pageviews; day 2: 5 visitors, 6 visits (1 bounce, 120 s), 8 pageviews.
    /// Pages: /pricing 4 + 2 visitors (9 + 3 pageviews), /blog 3 (5). Sources: Google 7 + 3 visitors, 8 + 4 visits, 3 bounces.
    /// One visitors row has a bad count; a README is not a table.
    /// </summary>
    private static byte[] Export()
    {
        var range = $"{Day1:yyyyMMdd}_{Day2:yyyyMMdd}";
        var files = new Dictionary<string, string>
        {
            [$"imported_visitors_{range}.csv"] =
                $"date,visitors,pageviews,bounces,visits,visit_duration\n{Iso(Day1)},10,30,4,12,600\n{Iso(Day2)},5,8,1,6,120\n{Iso(Day2)},x,1,1,1,1\n",
            [$"imported_pages_{range}.csv"] =
                $"date,hostname,page,visits,visitors,pageviews,scroll_depth,pageleave_visitors\n{Iso(Day1)},imports.test,/pricing,5,4,9,,0\n"
                + $"{Iso(Day2)},imports.test,/pricing,2,2,3,,0\n{Iso(Day2)},imports.test,/blog,3,3,5,,0\n",
            [$"imported_sources_{range}.csv"] =
                "date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces\n"
                + $"{Iso(Day1)},Google,,,,,,,20,7,8,400,2\n{Iso(Day2)},Google,,,,,,,5,3,4,100,1\n",
            ["README.txt"] = "Plausible export",
        };
        return Zip(files);
    }

    private static byte[] Zip(Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task A_Plausible_export_counts_with_include_imports_only_and_once()
    {
        const string site = "imports.test";
        await app.RegisterAsync(site);
        foreach (var (path, visitor) in new[] { ("/pricing", "visitor-aaaa"), ("/blog", "visitor-bbbb") })
        {
            Assert.Equal(HttpStatusCode.Accepted,
                (await _http.PostEventAsync($$"""{"n":"pageview","u":"https://{{site}}{{path}}","d":"{{site}}","vid":"{{visitor}}"}""")).StatusCode);
        }

        await _http.WaitForPageviewsAsync(site, 2);
        var job = await UploadAsync(site, "plausible-export.zip", Export(), HttpStatusCode.Accepted);
        Assert.Equal(("completed", 7, 2), (job.GetProperty("status").GetString(), job.GetProperty("rows_done").GetInt32(), job.GetProperty("rows_skipped").GetInt32()));
        Assert.Equal((Iso(Day1), Iso(Day2)), (job.GetProperty("start_date").GetString(), job.GetProperty("end_date").GetString()));
        var problems = job.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains("line 4: visitors 'x' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("README.txt: not one of Plausible's", StringComparison.Ordinal));

        string[] cards = ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "views_per_visit"];
        // Native only: 2 visitors, 2 bouncing visits of 0 s, 2 pageviews.
        var native = await _http.QueryAsync(new { site_id = site, metrics = cards, date_range = "7d" });
        Assert.Equal(new double[] { 2, 2, 2, 100, 0, 1 }, native.Metrics());
        Assert.False(native.GetProperty("meta").TryGetProperty("imports_included", out _));

        // Imported only (the two days): 15 visitors, 18 visits, 38 pageviews, 5/18 bounces = 28 %, 720/18 = 40 s, 38/18 = 2.11.
        var imported = await QueryAsync(new { site_id = site, metrics = cards, date_range = new[] { Iso(Day1), Iso(Day2) }, include = new { imports = true } });
        Assert.Equal(new double[] { 15, 18, 38, 28, 40, 2.11 }, imported.Metrics());
        Assert.True(imported.GetProperty("meta").GetProperty("imports_included").GetBoolean());

        // Both: 17 visitors, 20 visits, 40 pageviews, 7/20 = 35 %, 720/20 = 36 s, 40/20 = 2.
        var both = await QueryAsync(new { site_id = site, metrics = cards, date_range = "7d", include = new { imports = true } });
        Assert.Equal(new double[] { 17, 20, 40, 35, 36, 2 }, both.Metrics());

        // By day, by page, by source, and a page filter answered from imported_pages.
        var days = (await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", dimensions = new[] { "time:day" }, include = new { imports = true } })).Rows();
        Assert.Equal((10, 5, 2), (days[Iso(Day1)][0], days[Iso(Day2)][0], days[Iso(Today)][0]));
        var pages = (await QueryAsync(new { site_id = site, metrics = new[] { "visitors", "pageviews" }, date_range = "7d", dimensions = new[] { "event:page" }, include = new { imports = true } })).Rows();
        Assert.Equal(new double[] { 7, 13 }, pages["/pricing"]);
        Assert.Equal(new double[] { 4, 6 }, pages["/blog"]);
        var pricing = await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", filters = new[] { new object[] { "is", "event:page", new[] { "/pricing" } } }, include = new { imports = true } });
        Assert.Equal(new double[] { 7 }, pricing.Metrics());
        var sources = (await QueryAsync(new { site_id = site, metrics = new[] { "visitors", "bounce_rate" }, date_range = new[] { Iso(Day1), Iso(Day2) }, dimensions = new[] { "visit:source" }, include = new { imports = true } })).Rows();
        Assert.Equal(new double[] { 10, 25 }, sources["Google"]);

        // What no imported table answers (screen sizes are not imported; a page with a source spans two tables): the
        // native answer and Plausible's warning.
        var twoTables = await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", dimensions = new[] { "visit:source" }, filters = new[] { new object[] { "is", "event:page", new[] { "/pricing" } } }, include = new { imports = true } });
        Assert.False(twoTables.GetProperty("meta").GetProperty("imports_included").GetBoolean());
        var browsers = await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", filters = new[] { new object[] { "is_not", "visit:screen", new[] { "Mobile" } } }, include = new { imports = true } });
        Assert.Equal(new double[] { 2 }, browsers.Metrics());
        Assert.False(browsers.GetProperty("meta").GetProperty("imports_included").GetBoolean());
        Assert.StartsWith("Imported stats are not included in the results because query parameters are not supported", browsers.GetProperty("meta").GetProperty("imports_warning").GetString(), StringComparison.Ordinal);
        var hours = await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = new[] { Iso(Day1), Iso(Day1) }, dimensions = new[] { "time:hour" }, include = new { imports = true } });
        Assert.Contains("interval", hours.GetProperty("meta").GetProperty("imports_warning").GetString(), StringComparison.Ordinal);

        // The same export again is the same import: nothing doubles.
        var again = await UploadAsync(site, "plausible-export.zip", Export(), HttpStatusCode.Accepted);
        Assert.Equal(job.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(new double[] { 17, 20, 40, 35, 36, 2 }, (await QueryAsync(new { site_id = site, metrics = cards, date_range = "7d", include = new { imports = true } })).Metrics());
        Assert.Single((await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{site}/imports")).EnumerateArray());

        // Deleted, it counts no more.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sites/{site}/imports/{job.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(new double[] { 2 }, (await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", include = new { imports = true } })).Metrics());
    }

    [Fact]
    public async Task Imported_custom_events_count_as_the_configured_goals_of_their_names()
    {
        const string site = "goal-imports.test";
        await app.RegisterAsync(site);
        (await _http.PostAsJsonAsync($"/api/sites/{site}/goals", new { event_name = "Signup" })).EnsureSuccessStatusCode();
        var range = $"{Day1:yyyyMMdd}_{Day2:yyyyMMdd}";
        var export = Zip(new Dictionary<string, string>
        {
            [$"imported_custom_events_{range}.csv"] = "date,name,link_url,path,visitors,events\n"
                + $"{Iso(Day1)},Signup,,,3,4\n{Iso(Day2)},Signup,,,1,1\n{Iso(Day1)},Download,,,2,2\n",
        });
        await UploadAsync(site, "plausible-export.zip", export, HttpStatusCode.Accepted);

        // Signup is a goal (3 + 1 visitors, 4 + 1 events); Download is a custom event, not a goal.
        var goals = (await QueryAsync(new { site_id = site, metrics = new[] { "visitors", "events" }, date_range = new[] { Iso(Day1), Iso(Day2) }, dimensions = new[] { "event:goal" }, include = new { imports = true } })).Rows();
        Assert.Equal(new Dictionary<string, double[]> { ["Signup"] = [4, 5] }, goals);
        var names = (await QueryAsync(new { site_id = site, metrics = new[] { "visitors", "events" }, date_range = new[] { Iso(Day1), Iso(Day2) }, dimensions = new[] { "event:name" }, include = new { imports = true } })).Rows();
        Assert.Equal(new Dictionary<string, double[]> { ["Signup"] = [4, 5], ["Download"] = [2, 2] }, names);
    }

    [Fact]
    public async Task An_events_csv_is_imported_at_its_own_time_and_only_once()
    {
        const string site = "events-import.test";
        await app.RegisterAsync(site);
        var at = Day2.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
        string Row(string id, DateTime time, string visitor, string path) =>
            $"{id},{time:yyyy-MM-ddTHH:mm:ss.fffZ},pageview,{visitor},{site},{path},,Direct / None,,,,XX,Desktop,Chrome,120,Windows,10,Desktop,true,0,,,,,,,";
        var csv = string.Join("\n",
            "id,timestamp,name,visitor_id,hostname,pathname,referrer,source,utm_source,utm_medium,utm_campaign,country,device,browser,browser_version,os,os_version,screen_size,interactive,engagement_ms,props,revenue_amount,revenue_currency,utm_content,utm_term,region,city",
            Row("0192a000-0000-7000-8000-000000000001", at, "visitor-x", "/a"),
            Row("0192a000-0000-7000-8000-000000000002", at.AddMinutes(1), "visitor-x", "/b"),
            Row("0192a000-0000-7000-8000-000000000003", at.AddHours(1), "visitor-y", "/a"),
            Row("0192a000-0000-7000-8000-000000000004", at, "visitor-z", "/a").Replace(at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), "yesterday", StringComparison.Ordinal)) + "\n";

        var first = await FinishedAsync(site, await UploadAsync(site, "shop-events.csv", Encoding.UTF8.GetBytes(csv), HttpStatusCode.Accepted));
        Assert.Equal(("completed", 3, 1), (first.GetProperty("status").GetString(), first.GetProperty("rows_done").GetInt32(), first.GetProperty("rows_skipped").GetInt32()));
        Assert.Contains("line 5: timestamp 'yesterday'", first.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);

        // x: one visit of two pageviews (60 s); y: one bounce. Placed on their own day, not today.
        object Yesterday() => new { site_id = site, metrics = new[] { "visitors", "visits", "pageviews", "bounce_rate", "visit_duration" }, date_range = new[] { Iso(Day2), Iso(Day2) } };
        await Poll.UntilAsync(() => _http.QueryAsync(Yesterday()), r => r.Metrics()[2] >= 3, TimeSpan.FromSeconds(30), "3 imported pageviews");
        Assert.Equal(new double[] { 2, 2, 3, 50, 30 }, (await _http.QueryAsync(Yesterday())).Metrics());
        Assert.Equal(0, await _http.PageviewsTodayAsync(site));

        // The same file again: every row is known, none is appended.
        var second = await FinishedAsync(site, await UploadAsync(site, "shop-events.csv", Encoding.UTF8.GetBytes(csv), HttpStatusCode.Accepted));
        Assert.Equal((0, 4), (second.GetProperty("rows_done").GetInt32(), second.GetProperty("rows_skipped").GetInt32()));
        Assert.Equal(new double[] { 2, 2, 3, 50, 30 }, (await _http.QueryAsync(Yesterday())).Metrics());
    }

    [Fact]
    public async Task Imports_go_with_the_erased_site()
    {
        const string site = "erased-imports.test";
        await app.RegisterAsync(site);
        await UploadAsync(site, "plausible-export.zip", Export(), HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteSiteAsync(site)).StatusCode);
        await app.RegisterAsync(site);
        Assert.Empty((await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{site}/imports")).EnumerateArray());
        Assert.Equal(new double[] { 0 }, (await QueryAsync(new { site_id = site, metrics = new[] { "visitors" }, date_range = "7d", include = new { imports = true } })).Metrics());
    }

    [Theory]
    [InlineData("notes.txt", "hello", "neither a zip nor a .csv")]
    [InlineData("export.zip", "PK not really", "neither a zip nor a .csv")]
    [InlineData("events.csv", "a,b\n1,2\n", "Not an events.csv export")]
    [InlineData("imported_visitors_20240101_20240102.csv", "day,count\n", "no date and visitors columns")]
    [InlineData("data.csv", "date,visitors\n", "No Plausible export file found")]
    public async Task An_upload_that_is_not_an_export_is_a_400_saying_why(string name, string content, string expected)
    {
        const string site = "bad-imports.test";
        await app.RegisterAsync(site);
        using var response = await PostFileAsync(site, name, Encoding.UTF8.GetBytes(content));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> QueryAsync(object body) => await _http.QueryAsync(body);

    private Task<HttpResponseMessage> PostFileAsync(string site, string name, byte[] content)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        return _http.PostAsync($"/api/sites/{site}/imports", form);
    }

    private async Task<JsonElement> UploadAsync(string site, string name, byte[] content, HttpStatusCode expected)
    {
        using var response = await PostFileAsync(site, name, content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return body;
    }

    private Task<JsonElement> FinishedAsync(string site, JsonElement job) =>
        Poll.UntilAsync(() => _http.GetFromJsonAsync<JsonElement>($"/api/sites/{site}/imports/{job.GetProperty("id").GetInt64()}"),
            j => j.GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(30), "the import job to finish");
}
