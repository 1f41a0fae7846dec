using System.Text.Json;
using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>One isolated browser context (own cookies and storage) with one page, for one test.</summary>
public sealed class BrowserSession(TestSite site, IBrowserContext context, IPage page, string id) : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public IBrowserContext Context => context;

    public IPage Page => page;

    public string Id => id;

    public string PageUrl(string name = "home", string query = "") => $"{site.BaseUrl}/t/{id}/{name}{query}";

    public IReadOnlyList<Beacon> Received => site.For(id);

    /// <summary>Polls the server's record until the condition holds or the deadline passes.</summary>
    public async Task<IReadOnlyList<Beacon>> WaitForAsync(Func<IReadOnlyList<Beacon>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var received = site.For(id);
            if (condition(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Timed out after {Deadline.TotalSeconds}s waiting for {what}. Received:\n" + string.Join("\n", received));
            }

            await Task.Delay(20);
        }
    }

    public Task<IReadOnlyList<Beacon>> WaitForCountAsync(string eventName, int count) =>
        WaitForAsync(r => r.Count(b => b.Name == eventName) >= count, $"{count} x '{eventName}'");

    /// <summary>Event names the page handed to sendBeacon/fetch, in call order (recorded by an init script).</summary>
    public async Task<string[]> SentNamesAsync()
    {
        var bodies = await page.EvaluateAsync<string[]>(
            "() => Promise.all(window.__sent.map(b => typeof b === 'string' ? b : b.text()))");
        return bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("n").GetString() ?? "").ToArray();
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
