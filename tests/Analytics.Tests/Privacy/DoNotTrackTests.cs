using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.GrainInterfaces.Sites;
using Analytics.Tests.Functional;
using Analytics.Tests.Ingestion;

namespace Analytics.Tests.Privacy;

public sealed class DoNotTrackTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    [Theory]
    [InlineData(true, true, DropReason.DoNotTrack)]
    [InlineData(true, false, null)]
    [InlineData(false, true, null)]
    public async Task The_step_drops_only_when_the_browser_asks_and_the_site_respects_it(bool doNotTrack, bool siteRespects, DropReason? expected)
    {
        var context = new IngestionContext
        {
            Beacon = TestContexts.Beacon(),
            UserAgent = TestContexts.ChromeUserAgent,
            ClientIp = null,
            ReceivedAt = TestContexts.ReceivedAt,
            DoNotTrack = doNotTrack,
        };
        context.Site = new SiteSettings { Domain = "example.com", RespectDoNotTrack = siteRespects };

        var step = new DropDoNotTrackStep();
        Assert.Equal("drop_do_not_track", step.Name);
        Assert.Equal(expected, await step.RunAsync(context, CancellationToken.None));
        Assert.Equal("do_not_track", DropReason.DoNotTrack.ToWireName());
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient http, string site, string? header, string? value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/event")
        {
            Content = new StringContent($$"""{"n":"pageview","u":"https://{{site}}/","d":"{{site}}"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", Api.Chrome);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_site_with_respect_dnt_drops_DNT_and_GPC_beacons_and_counts_the_rest()
    {
        var http = app.CreateClient();
        var registered = await http.PostAsJsonAsync("/api/sites", new { domain = "dnt.test", respect_dnt = true });
        Assert.True((await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("respect_dnt").GetBoolean());
        await app.RegisterAsync("no-dnt.test");

        foreach (var (header, value) in new[] { ("DNT", "1"), ("Sec-GPC", "1"), ("DNT", "1, 1"), ("Sec-GPC", " 1 ,1") })
        {
            var dropped = await PostAsync(http, "dnt.test", header, value);
            Assert.Equal(HttpStatusCode.Accepted, dropped.StatusCode);
            Assert.Equal("do_not_track", Assert.Single(dropped.Headers.GetValues("X-Drop-Reason")));

            var ignored = await PostAsync(http, "no-dnt.test", header, value);
            Assert.False(ignored.Headers.Contains("X-Drop-Reason"));
        }

        var counted = await PostAsync(http, "dnt.test", "DNT", "0");
        Assert.False(counted.Headers.Contains("X-Drop-Reason"));

        await http.WaitForPageviewsAsync("dnt.test", 1);
        await http.WaitForPageviewsAsync("no-dnt.test", 4);
        Assert.Equal(1, await http.PageviewsTodayAsync("dnt.test"));
    }
}
