using System.Net;
using Analytics.Testing;

namespace Analytics.Tests.Abuse;

/// <summary>Password guessing at /login: failures are counted per address; past the limit even the right password waits.</summary>
public sealed class LoginThrottleTests(RateLimitedAppFactory app) : IClassFixture<RateLimitedAppFactory>
{
    [Fact]
    public async Task Failed_logins_past_the_limit_get_429_problem_with_Retry_After_and_successes_do_not_count()
    {
        using var browser = app.CreateAnonymousClient(new() { AllowAutoRedirect = false });

        // Right passwords are never counted: more successes than the limit all get in.
        for (var i = 0; i <= RateLimitedAppFactory.LoginFailures; i++)
        {
            using var ok = await PostAsync(browser, TestCredentials.AdminPassword);
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        for (var i = 0; i < RateLimitedAppFactory.LoginFailures; i++)
        {
            using var wrong = await PostAsync(browser, $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var held = await PostAsync(browser, TestCredentials.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.Equal("application/problem+json", held.Content.Headers.ContentType?.MediaType);
        Assert.True(int.TryParse(held.Headers.GetValues("Retry-After").Single(), out var seconds) && seconds > 0);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string password) =>
        await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await DashboardLogin.FormTokenAsync(browser),
            ["email"] = TestCredentials.AdminEmail,
            ["password"] = password,
            ["returnUrl"] = "/dashboard/",
        }));
}
