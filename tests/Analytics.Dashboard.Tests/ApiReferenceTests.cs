using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>The API reference (/scalar) in real Chromium: a place to paste a key, the query's body described, nothing loaded from elsewhere.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiReferenceTests(DashboardFixture fixture)
{
    [Fact]
    public async Task The_document_has_a_bearer_scheme_and_the_query_body_schema_with_an_example()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var body = document.GetProperty("paths").GetProperty("/api/v2/query").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json");
        Assert.EndsWith("/StatsQueryRequest", body.GetProperty("schema").GetProperty("$ref").GetString(), StringComparison.Ordinal);
        Assert.Equal("example.com", body.GetProperty("example").GetProperty("site_id").GetString());
        var query = document.GetProperty("components").GetProperty("schemas").GetProperty("StatsQueryRequest").GetProperty("properties");
        Assert.True(query.TryGetProperty("date_range", out _));
        Assert.True(query.TryGetProperty("metrics", out _));

        // Every operation of the product's API says what it answers; ingestion also what it takes, as JSON or text/plain.
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            Assert.DoesNotContain("/orleans", path.Name, StringComparison.Ordinal);
            foreach (var operation in path.Value.EnumerateObject())
            {
                var success = operation.Value.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2'));
                Assert.True(success.Name == "204" || success.Value.TryGetProperty("content", out _), $"{operation.Name} {path.Name} describes no {success.Name} content");
            }
        }

        var ingest = document.GetProperty("paths").GetProperty("/api/event").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(ingest.GetProperty("text/plain").GetProperty("schema").GetProperty("properties").TryGetProperty("domain", out _));
    }

    [Theory]
    [InlineData("/api/v2/query", "post", "200", "results")]
    [InlineData("/api/sites", "post", "201", "domain")]
    [InlineData("/api/sites/{domain}", "get", "200", "timezone")]
    [InlineData("/api/keys", "post", "201", "key")]
    [InlineData("/api/sites/{domain}/shared-links", "post", "201", "path")]
    public async Task The_main_operations_show_an_example_of_their_answer(string path, string method, string status, string field)
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var answer = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json");

        Assert.True(answer.GetProperty("example").TryGetProperty(field, out _), $"{method} {path} answers without an example holding {field}");
    }

    [Fact]
    public async Task The_reference_page_loads_nothing_from_another_origin()
    {
        if (fixture.Browser is null)
        {
            return;
        }

        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(fixture.Silo.BaseUrl, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(r.Url);
            }
        };

        await page.GotoAsync(fixture.Silo.BaseUrl + "scalar", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "post /api/v2/query" })).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Artifacts(), "api-reference-1400.png") });
        Assert.Empty(elsewhere);
        await context.CloseAsync();
    }
}
