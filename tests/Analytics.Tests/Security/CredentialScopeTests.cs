using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Testing;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Security;

/// <summary>
/// Credentials stay within their site scope and die with their site: keys:manage sees and revokes only keys inside its
/// own scope, a key cannot pass for the admin, and deleting a site removes its keys and share links for good.
/// </summary>
public sealed class CredentialScopeTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private readonly HttpClient _admin = app.CreateClient();

    [Fact]
    public async Task A_keys_manager_of_one_site_lists_and_revokes_only_keys_within_its_scope()
    {
        await app.RegisterAsync("scope-a.test");
        await app.RegisterAsync("scope-b.test");
        var (managerKey, _) = await CreateKeyAsync(_admin, "manager-a", ["scope-a.test"], ["stats:read", "keys:manage"]);
        var (_, inside) = await CreateKeyAsync(_admin, "reader-a", ["scope-a.test"], ["stats:read"]);
        var (_, outside) = await CreateKeyAsync(_admin, "reader-b", ["scope-b.test"], ["stats:read"]);
        var (_, straddling) = await CreateKeyAsync(_admin, "reader-ab", ["scope-a.test", "scope-b.test"], ["stats:read"]);
        var (_, everything) = await CreateKeyAsync(_admin, "reader-all", ["*"], ["stats:read"]);
        using var manager = Client(managerKey);

        var listed = (await manager.GetFromJsonAsync<JsonElement[]>("/api/keys"))!.Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.Contains("reader-a", listed);
        Assert.Contains("manager-a", listed);
        Assert.DoesNotContain("reader-b", listed);
        Assert.DoesNotContain("reader-ab", listed);
        Assert.DoesNotContain("reader-all", listed);
        Assert.DoesNotContain(TestCredentials.AdminEmail, listed);

        foreach (var other in new[] { outside, straddling, everything })
        {
            await AssertProblemAsync(HttpStatusCode.NotFound, await manager.DeleteAsync($"/api/keys/{Id(other)}"));
        }

        var all = await _admin.GetFromJsonAsync<JsonElement[]>("/api/keys");
        Assert.All(all!.Where(k => k.GetProperty("id").GetString() is var id && new[] { Id(outside), Id(straddling), Id(everything) }.Contains(id)),
            k => Assert.False(k.GetProperty("revoked").GetBoolean()));
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/keys/{Id(inside)}")).StatusCode);
    }

    [Fact]
    public async Task A_key_named_like_the_admin_makes_keys_that_do_not_read_as_the_admins()
    {
        var (impostorKey, _) = await CreateKeyAsync(_admin, TestCredentials.AdminEmail, ["*"], ["stats:read", "keys:manage"]);
        using var impostorClient = Client(impostorKey);
        var (_, child) = await CreateKeyAsync(impostorClient, "child", ["*"], ["stats:read"]);
        Assert.NotEqual(TestCredentials.AdminEmail, child.GetProperty("owner").GetString());
        Assert.Equal("key:" + TestCredentials.AdminEmail, child.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Deleting_a_site_erases_its_keys_and_share_links_and_registering_it_again_brings_none_back()
    {
        const string site = "erased-credentials.test";
        await app.RegisterAsync(site);
        await app.RegisterAsync("kept.test");
        using var created = await _admin.PostAsJsonAsync($"/api/sites/{site}/shared-links", new { name = "public" });
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;
        var (onlyKey, _) = await CreateKeyAsync(_admin, "only-erased", [site], ["stats:read"]);
        var (sharedKey, _) = await CreateKeyAsync(_admin, "erased-and-kept", [site, "kept.test"], ["stats:read"]);
        using var share = app.CreateAnonymousClient();
        share.DefaultRequestHeaders.Add("X-Analytics-Share", slug);
        using var only = Client(onlyKey);
        using var shared = Client(sharedKey);
        Assert.Equal(HttpStatusCode.OK, (await share.PostAsync("/api/v2/query", Query(site))).StatusCode);

        // At rest the slug is only a hash, like a key.
        var files = Privacy.DataFiles.ReadAll(app.DataDirectory);
        Assert.Contains(files.Values, bytes => Privacy.DataFiles.Contains(bytes, Encoding.UTF8.GetBytes(Hash(slug))));
        Assert.All(files, f => Assert.False(Privacy.DataFiles.Contains(f.Value, Encoding.UTF8.GetBytes(slug)), $"the slug is in {f.Key}"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteSiteAsync(site)).StatusCode);
        await app.RegisterAsync(site);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, await share.PostAsync("/api/v2/query", Query(site)));
        await AssertProblemAsync(HttpStatusCode.Unauthorized, await only.PostAsync("/api/v2/query", Query(site)));
        await AssertProblemAsync(HttpStatusCode.Forbidden, await shared.PostAsync("/api/v2/query", Query(site)));
        Assert.Equal(HttpStatusCode.OK, (await shared.PostAsync("/api/v2/query", Query("kept.test"))).StatusCode);
        Assert.Empty((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/sites/{site}/shared-links"))!);
        var keys = await _admin.GetFromJsonAsync<JsonElement[]>("/api/keys");
        Assert.DoesNotContain(keys!, k => k.GetProperty("sites").EnumerateArray().Any(s => s.GetString() == site));
        Assert.DoesNotContain(keys!, k => k.GetProperty("name").GetString() == "only-erased");
    }

    private static string Id(JsonElement key) => key.GetProperty("id").GetString()!;

    private static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static StringContent Query(string site) =>
        new(JsonSerializer.Serialize(new { site_id = site, metrics = new[] { "pageviews" }, date_range = "day" }), Encoding.UTF8, "application/json");

    private static async Task<(string Key, JsonElement Created)> CreateKeyAsync(HttpClient http, string name, string[] sites, string[] permissions)
    {
        using var response = await http.PostAsJsonAsync("/api/keys", new { name, sites, permissions });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("key").GetString()!, body.GetProperty("api_key"));
    }

    private HttpClient Client(string key)
    {
        var http = app.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    internal static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
