using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Analytics.Tests.Security;

/// <summary>A share slug is a credential: even with Microsoft.AspNetCore logging at Information it is written nowhere.</summary>
public sealed class RequestLogTests(VerboseLogAppFactory app) : IClassFixture<VerboseLogAppFactory>
{
    [Fact]
    public async Task Share_slugs_are_not_in_the_request_log()
    {
        await app.RegisterAsync("logged.test");
        using var created = await app.CreateClient().PostAsJsonAsync("/api/sites/logged.test/shared-links", new { name = "public" });
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;

        using var visitor = app.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/share/" + slug)).StatusCode);
        visitor.DefaultRequestHeaders.Add("X-Analytics-Share", slug);
        var query = new StringContent("""{"site_id":"logged.test","metrics":["visitors"],"date_range":"day"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync("/api/v2/query", query)).StatusCode);

        // Positive control: Microsoft.AspNetCore's Information messages are captured (routing names the share page's endpoint).
        Assert.Contains(app.Logs.Messages, m => m.StartsWith("Information Microsoft.AspNetCore", StringComparison.Ordinal) && m.Contains("/share/{slug}", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Messages, m => m.Contains(slug, StringComparison.Ordinal));
    }
}
