using System.Net;
using System.Text;
using Analytics.Testing;

namespace Analytics.Tests.Security;

/// <summary>Reads past the concurrent limit (and its queue) get an immediate 429, not a wait behind the others.</summary>
public sealed class ConcurrentQueryTests(OneQueryAtATimeAppFactory app) : IClassFixture<OneQueryAtATimeAppFactory>
{
    [Fact]
    public async Task A_read_while_the_only_slot_is_taken_gets_429_and_the_slot_frees_when_that_read_ends()
    {
        await app.RegisterAsync("concurrent.test");
        const string body = """{"site_id":"concurrent.test","metrics":["visitors"],"date_range":"day"}""";
        var http = app.CreateClient();

        // The slot holder: ten years of daily aggregates (about 100 KB of CSV) to a reader that does not read, so the
        // export waits on the response's back-pressure while it holds the one slot.
        var holder = await http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/sites/concurrent.test/export/aggregates.csv?from=2016-01-01&to=2025-12-31"),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);

        using (var busy = await http.PostAsync("/api/v2/query", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
            Assert.True(busy.Headers.Contains("Retry-After"));
        }

        // Reading the export to its end releases the slot.
        var csv = await holder.Content.ReadAsStringAsync();
        Assert.True(csv.Length > 64 * 1024, $"the export was only {csv.Length} bytes");
        holder.Dispose();
        await Poll.UntilAsync(
            async () => (await http.PostAsync("/api/v2/query", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the slot to be free again");
    }
}
