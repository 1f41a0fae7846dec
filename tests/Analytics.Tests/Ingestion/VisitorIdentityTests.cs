using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Analytics.Gateway.Visitors;

namespace Analytics.Tests.Ingestion;

public sealed class VisitorIdentityTests
{
    private const string Site = "example.com";
    private static readonly IPAddress Ip = IPAddress.Parse("203.0.113.45");
    private static readonly DateTime Noon = new(2026, 3, 29, 12, 0, 0, DateTimeKind.Utc);

    private readonly FakeSalts _salts = new();
    private readonly VisitorIdentity _identity;

    public VisitorIdentityTests() => _identity = new VisitorIdentity(SaltOnlyGrainFactory.Create(_salts));

    private ValueTask<string> Hash(string site = Site, IPAddress? ip = null, string userAgent = TestContexts.ChromeUserAgent, DateTime? now = null) =>
        _identity.HashAsync(site, ip ?? Ip, userAgent, now ?? Noon, CancellationToken.None);

    [Theory]
    [InlineData("abcdefgh", true)]
    [InlineData("AbC-123_xyz", true)]
    [InlineData("abcdefg", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("abc def gh", false)]
    [InlineData("abcdefgh!", false)]
    [InlineData("abcdéfgh", false)]
    [InlineData("abcdefgh\n", false)]
    public void Cookie_ids_are_8_to_64_url_safe_characters(string? id, bool expected) =>
        Assert.Equal(expected, VisitorIdentity.IsValidCookieId(id));

    [Fact]
    public void Cookie_id_length_bounds_are_inclusive()
    {
        Assert.True(VisitorIdentity.IsValidCookieId(new string('a', 64)));
        Assert.False(VisitorIdentity.IsValidCookieId(new string('a', 65)));
    }

    [Fact]
    public async Task The_hash_is_stable_within_a_utc_day()
    {
        var morning = await Hash(now: Noon.Date.AddMinutes(1));
        var evening = await Hash(now: Noon.Date.AddHours(23).AddMinutes(59));

        Assert.Equal(morning, evening);
        Assert.Matches("^h:[A-Za-z0-9_-]{16}$", morning);
    }

    [Fact]
    public async Task The_hash_differs_across_sites_ips_user_agents_and_days()
    {
        var hashes = new[]
        {
            await Hash(),
            await Hash(site: "other.org"),
            await Hash(ip: IPAddress.Parse("203.0.113.46")),
            await Hash(ip: IPAddress.Parse("2001:db8::1")),
            await Hash(userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
            await Hash(now: Noon.AddDays(1)),
        };

        Assert.Equal(hashes.Length, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("203.0.113.45", "Mozilla/5.0")]
    [InlineData("fe80::1%2", "Mozilla/5.0")]
    [InlineData("::ffff:203.0.113.45", "Mozilla/5.0")]
    [InlineData(null, "Mozilla/5.0")]
    [InlineData("2001:db8::1", null)]
    public async Task The_hash_is_the_keyed_hash_of_site_address_and_user_agent_one_per_line(string? ip, string? userAgent)
    {
        // A visitor keeps its id across an upgrade only if the hashed text stays the same; a user agent past the stack
        // buffer (non-ASCII, 3 bytes a character) takes the pooled one.
        userAgent ??= string.Concat(Enumerable.Repeat("Navigateur™ ", 120));
        var address = ip is null ? null : IPAddress.Parse(ip);
        var salt = SHA256.HashData(Encoding.UTF8.GetBytes("salt:2026-03-29"));
        var text = string.Join('\n', Site, address?.ToString() ?? string.Empty, userAgent);
        var expected = "h:" + Base64Url.EncodeToString(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));

        Assert.Equal(expected, await _identity.HashAsync(Site, address, userAgent, Noon, CancellationToken.None));
    }

    [Fact]
    public async Task The_hash_never_contains_the_ip()
    {
        var hash = await Hash();

        Assert.DoesNotContain("203.0.113.45", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("203", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_ip_still_hashes_and_differs_from_a_known_one()
    {
        var withoutIp = await _identity.HashAsync(Site, null, TestContexts.ChromeUserAgent, Noon, CancellationToken.None);

        Assert.StartsWith("h:", withoutIp, StringComparison.Ordinal);
        Assert.NotEqual(await Hash(), withoutIp);
    }

    [Fact]
    public async Task Uses_the_utc_days_salt_and_fetches_it_once()
    {
        await Hash(now: new DateTime(2026, 3, 29, 0, 0, 0, DateTimeKind.Utc));
        await Hash(now: new DateTime(2026, 3, 29, 23, 59, 59, DateTimeKind.Utc));
        await Hash(now: new DateTime(2026, 3, 30, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(["2026-03-29", "2026-03-30"], _salts.Requests);
    }

    [Fact]
    public async Task A_failed_salt_fetch_is_not_cached()
    {
        _salts.FailNext = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Hash());
        var hash = await Hash();

        Assert.StartsWith("h:", hash, StringComparison.Ordinal);
        Assert.Equal(2, _salts.Requests.Count);
    }

    [Fact]
    public async Task Only_recent_salts_stay_in_memory()
    {
        var day = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 4; i++)
        {
            await Hash(now: day.AddDays(i));
        }

        // Older days are evicted as newer ones arrive: day 3 is still cached, day 1 must be fetched again.
        await Hash(now: day.AddDays(2));
        await Hash(now: day);

        Assert.Equal(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-01"], _salts.Requests);
    }
}
