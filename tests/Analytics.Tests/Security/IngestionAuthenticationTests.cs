using System.Net;
using System.Text;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Security;

/// <summary>
/// Ingestion endpoints read no credential, so the host does not authenticate their requests (it was a tenth of what a
/// silo allocated under load), even when a browser or a client sends one; every other endpoint still is authenticated.
/// </summary>
public sealed class IngestionAuthenticationTests(CountedAuthenticationAppFactory app) : IClassFixture<CountedAuthenticationAppFactory>
{
    private const string Site = "unauthenticated.test";

    [Fact]
    public async Task Beacons_are_counted_without_being_authenticated_and_api_calls_are_authenticated()
    {
        await app.RegisterAsync(Site);
        using var client = app.CreateClient();

        var before = app.Authentications;
        using (var beacon = await client.PostEventAsync($$"""{"n":"pageview","u":"https://{{Site}}/","d":"{{Site}}"}""", contentType: "text/plain"))
        {
            Assert.Equal(HttpStatusCode.Accepted, beacon.StatusCode);
            Assert.False(beacon.Headers.Contains("X-Drop-Reason"));
        }

        using (var ga4 = await client.PostAsync("/mp/collect?measurement_id=G-NONE&api_secret=none", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.NoContent, ga4.StatusCode);
        }

        Assert.Equal(before, app.Authentications);

        // The same client, credential and all, is authenticated by the API.
        using var sites = await client.GetAsync("/api/sites");
        Assert.Equal(HttpStatusCode.OK, sites.StatusCode);
        Assert.Contains(Site, await sites.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(app.Authentications > before);
    }
}
