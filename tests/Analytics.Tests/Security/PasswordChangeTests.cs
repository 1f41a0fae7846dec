using System.Net;
using Analytics.Testing;

namespace Analytics.Tests.Security;

/// <summary>The real embedded process: a dashboard session outlives a restart, but not a change of the admin's password.</summary>
public sealed class PasswordChangeTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("analytics-password-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Changing_the_admin_password_ends_the_sessions_made_with_the_old_one()
    {
        string session;
        await using (var first = AnalyticsProcess.Embedded(_data))
        {
            await first.StartAsync(TimeSpan.FromSeconds(90));
            var cookies = new CookieContainer();
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = first.BaseAddress };
            using var login = await DashboardLogin.PostLoginAsync(browser, TestCredentials.AdminPassword);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            session = cookies.GetCookieHeader(first.BaseAddress);
            Assert.Equal(HttpStatusCode.OK, await SitesAsync(first, session));
            await first.StopAsync();
        }

        // Control: the same password after a restart keeps the session.
        await using (var same = AnalyticsProcess.Embedded(_data))
        {
            await same.StartAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(HttpStatusCode.OK, await SitesAsync(same, session));
            await same.StopAsync();
        }

        await using var changed = AnalyticsProcess.Embedded(_data, new Dictionary<string, string> { ["Analytics__Auth__Admin__Password"] = "a-new-admin-password" });
        await changed.StartAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(HttpStatusCode.Unauthorized, await SitesAsync(changed, session));
    }

    private static async Task<HttpStatusCode> SitesAsync(AnalyticsProcess process, string cookies)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = process.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sites");
        request.Headers.Add("Cookie", cookies);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
