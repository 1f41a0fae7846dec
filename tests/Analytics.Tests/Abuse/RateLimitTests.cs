using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Http;

namespace Analytics.Tests.Abuse;

public sealed class RateLimitTests(RateLimitedAppFactory app) : IClassFixture<RateLimitedAppFactory>
{
    private async Task<HttpContext> PostAsync(string site, string ip, string? forwardedFor = null) =>
        await app.Server.SendAsync(context =>
        {
            context.Request.Method = "POST";
            context.Request.Path = "/api/event";
            context.Request.ContentType = "text/plain";
            context.Request.Headers.UserAgent = Api.Chrome;
            if (forwardedFor is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes($$"""{"n":"pageview","u":"https://{{site}}/","d":"{{site}}","v":"{{ip}}"}"""));
        });

    private static async Task AssertTooManyAsync(HttpContext response, string detail)
    {
        Assert.Equal(StatusCodes.Status429TooManyRequests, response.Response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Response.ContentType, StringComparison.Ordinal);
        Assert.True(int.TryParse(response.Response.Headers.RetryAfter, out var seconds) && seconds is >= 1 and <= 3600, $"Retry-After: {response.Response.Headers.RetryAfter}");
        var problem = await JsonDocument.ParseAsync(response.Response.Body);
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_address_over_its_limit_gets_429_with_Retry_After_and_others_go_on()
    {
        await app.RegisterAsync("ip-limit.test");
        for (var i = 0; i < RateLimitedAppFactory.PerIp; i++)
        {
            Assert.Equal(StatusCodes.Status202Accepted, (await PostAsync("ip-limit.test", "198.51.100.1")).Response.StatusCode);
        }

        await AssertTooManyAsync(await PostAsync("ip-limit.test", "198.51.100.1"), "this address");
        Assert.Equal(StatusCodes.Status202Accepted, (await PostAsync("ip-limit.test", "198.51.100.2")).Response.StatusCode);
    }

    [Fact]
    public async Task The_address_behind_a_trusted_proxy_is_the_partition_not_the_proxy()
    {
        await app.RegisterAsync("proxy-limit.test");
        for (var i = 0; i < RateLimitedAppFactory.PerIp + 1; i++)
        {
            // Loopback is a trusted proxy: each forwarded client has its own allowance.
            Assert.Equal(StatusCodes.Status202Accepted, (await PostAsync("proxy-limit.test", "127.0.0.1", $"203.0.113.{i + 1}")).Response.StatusCode);
        }

        // A client that is not a proxy cannot escape its limit by sending X-Forwarded-For.
        for (var i = 0; i < RateLimitedAppFactory.PerIp; i++)
        {
            await PostAsync("proxy-limit.test", "198.51.100.9", $"203.0.113.{100 + i}");
        }

        await AssertTooManyAsync(await PostAsync("proxy-limit.test", "198.51.100.9", "203.0.113.200"), "this address");
    }

    [Fact]
    public async Task One_site_over_its_limit_gets_429_and_other_sites_go_on()
    {
        await app.RegisterAsync("site-limit.test");
        await app.RegisterAsync("other-site.test");
        for (var i = 0; i < RateLimitedAppFactory.PerSite; i++)
        {
            Assert.Equal(StatusCodes.Status202Accepted, (await PostAsync("site-limit.test", $"192.0.2.{i + 1}")).Response.StatusCode);
        }

        await AssertTooManyAsync(await PostAsync("site-limit.test", "192.0.2.100"), "site 'site-limit.test'");
        Assert.Equal(StatusCodes.Status202Accepted, (await PostAsync("other-site.test", "192.0.2.101")).Response.StatusCode);
    }

    [Fact]
    public async Task Other_endpoints_are_not_rate_limited()
    {
        var http = app.CreateClient();
        for (var i = 0; i < RateLimitedAppFactory.PerIp * 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/js/script.js")).StatusCode);
        }
    }
}
