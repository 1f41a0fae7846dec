using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Analytics.Dashboard.Tests;

/// <summary>A share link's public view in real Chromium: the same page, no login, one site, under the page's CSP.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ShareViewTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_share_link_shows_its_one_site_without_a_login()
    {
        using var created = await fixture.Http.PostAsJsonAsync($"/api/sites/{DashboardFixture.Shop}/shared-links", new { name = "public" });
        created.EnsureSuccessStatusCode();
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;

        var page = await fixture.OpenSharedAsync(slug, "?period=day");
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator(".card[data-metric=pageviews] .card-value")).ToHaveTextAsync("7");
        await Expect(page.Locator("#live")).ToHaveTextAsync("4");
        // Only the shared site is offered (the fixture registered two), and there is no session to log out of.
        await Expect(page.Locator("#site option")).ToHaveCountAsync(1);
        await Expect(page.Locator("#site")).ToHaveValueAsync(DashboardFixture.Shop);
        await Expect(page.Locator("#logout")).ToBeHiddenAsync();
        Assert.StartsWith($"{fixture.Silo.BaseUrl}share/{slug}", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_revoked_or_mistyped_link_says_so_and_offers_nothing_of_the_owners()
    {
        var page = await fixture.OpenSharedAsync("no-such-slug", "?period=day");
        if (page is null)
        {
            return;
        }

        await Expect(page.Locator("#error")).ToContainTextAsync("This share link is not valid");
        await Expect(page.Locator("#share-note")).ToBeVisibleAsync();
        await Expect(page.Locator("#manage-toggle")).ToBeHiddenAsync();
        await Expect(page.Locator("#foot")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }
}
