using System.Net;
using Analytics.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Analytics.Tests.Security;

/// <summary>The login throttle holds under simultaneous guesses (its own host: the guesses use up the address's tries).</summary>
public sealed class LoginRaceTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task Fifty_simultaneous_wrong_passwords_get_at_most_the_limit_of_tries()
    {
        using var browser = app.CreateAnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await DashboardLogin.FormTokenAsync(browser);
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["email"] = TestCredentials.AdminEmail,
                ["password"] = $"wrong-{i}",
                ["returnUrl"] = "/dashboard/",
            }));
            return response.StatusCode;
        }));

        Assert.Equal(SecurityAppFactory.LoginFailures, answers.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(50 - SecurityAppFactory.LoginFailures, answers.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
