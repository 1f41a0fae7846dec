using Analytics.Gateway.Ga4;
using Microsoft.AspNetCore.WebUtilities;

namespace Analytics.Tests.Ga4;

public sealed class GtagHitReaderTests
{
    private static GtagHits Read(string query, string body = "") => GtagHitReader.Read(QueryHelpers.ParseQuery(query), body);

    [Fact]
    public void Each_body_line_is_an_event_over_the_shared_query_parameters()
    {
        var hits = Read("?v=2&tid=G-ABC123&cid=1.2&sid=77&dl=https%3A%2F%2Fa.test%2Fx&dt=X&sr=390x844&en=page_view",
            "en=sign_up&ep.method=Google&epn.price=9.50&dl=https%3A%2F%2Fa.test%2Fy\r\nen=user_engagement&_et=1500\n\n");

        Assert.Equal("G-ABC123", hits.MeasurementId);
        Assert.Equal(0, hits.Invalid);
        Assert.Collection(hits.Hits,
            signUp =>
            {
                Assert.Equal(("sign_up", "1.2", 390), (signUp.Name, signUp.ClientId, signUp.ScreenWidth));
                Assert.Equal("https://a.test/y", signUp.Params["page_location"]);
                Assert.Equal(("Google", "9.5", "77"), (signUp.Params["method"], signUp.Params["price"], signUp.Params["session_id"]));
            },
            engagement => Assert.Equal(("user_engagement", "1500", "https://a.test/x"), (engagement.Name, engagement.Params["engagement_time_msec"], engagement.Params["page_location"])));
    }

    [Fact]
    public void Without_a_body_the_query_string_is_the_one_event()
    {
        var hit = Assert.Single(Read("?v=2&tid=G-ABC123&cid=1.2&en=page_view&dl=https%3A%2F%2Fa.test%2F&dr=https%3A%2F%2Fb.test%2F").Hits);
        Assert.Equal(("page_view", "https://a.test/", "https://b.test/"), (hit.Name, hit.Params["page_location"], hit.Params["page_referrer"]));
    }

    [Theory]
    [InlineData("?v=1&tid=G-ABC123&cid=1.2&en=page_view")]
    [InlineData("?v=2&tid=G-ABC123&en=page_view")]
    [InlineData("?v=2&tid=G-ABC123&cid=1.2&en=_private")]
    [InlineData("?v=2&tid=G-ABC123&cid=1.2&en=has%20space")]
    [InlineData("?v=2&tid=G-ABC123&cid=1.2")]
    public void Hits_without_version_2_a_client_id_or_a_valid_name_are_invalid(string query)
    {
        var hits = Read(query);
        Assert.Empty(hits.Hits);
        Assert.Equal(1, hits.Invalid);
    }

    [Fact]
    public void Params_are_bounded_as_ga4_bounds_them()
    {
        var many = string.Join("&", Enumerable.Range(0, 40).Select(i => $"ep.p{i:00}=v"));
        var hit = Assert.Single(Read($"?v=2&tid=G-A1B2&cid=1.2&en=e&ep.long={new string('x', 150)}&ep.google_x=1&epn.n=abc&{many}").Hits);

        Assert.Equal(100, hit.Params["long"].Length);
        Assert.False(hit.Params.ContainsKey("google_x"));
        Assert.False(hit.Params.ContainsKey("n"));
        Assert.True(hit.Params.Count <= Ga4Limits.MaxParams);

        var batch = Read("?v=2&tid=G-A1B2&cid=1.2", string.Join("\n", Enumerable.Repeat("en=scroll", 30)));
        Assert.Equal((25, 5), (batch.Hits.Count, batch.Invalid));
    }
}
