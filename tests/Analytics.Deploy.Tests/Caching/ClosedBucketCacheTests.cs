using System.Text;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Caching;
using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Metrics;
using Analytics.Testing;
using Microsoft.Extensions.Options;

namespace Analytics.Deploy.Tests.Caching;

/// <summary>The closed-bucket rules with the in-memory cache.</summary>
public sealed class ClosedBucketCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 30, 0, TimeSpan.Zero);
    private const string Site = "buckets.test";

    private static (ClosedBucketCache Buckets, CountingCache Cache) Create()
    {
        var options = Options.Create(new HotCacheOptions());
        var cache = new CountingCache(new MemoryHotCache(options));
        return (new ClosedBucketCache(cache, options, Buckets.Serializer(), new ManualTime(Now)), cache);
    }

    private static BucketKey Hour(int hour) => BucketKey.Hour(Site, new DateTime(2026, 3, 20, hour, 0, 0, DateTimeKind.Utc));

    [Fact]
    public async Task A_closed_bucket_comes_back_as_the_slice_asked_for_and_an_open_one_is_never_read_even_when_stored()
    {
        var (buckets, _) = Create();
        var at = new DateTime(2026, 3, 20, 10, 5, 0, DateTimeKind.Utc);
        var state = Buckets.State(
            Buckets.Pageview(Site, at, "/a", "v1"),
            Buckets.Pageview(Site, at, "/a", "v2"),
            Buckets.Pageview(Site, at, "/b", "v1"));
        // 10:00–11:00 closed at 12:00 (ClosedAfter 1 h); 11:00–12:00 only at 13:00.
        await buckets.StoreAsync(Hour(10), state);
        await buckets.StoreAsync(Hour(11), state);

        var pages = await buckets.GetClosedAsync([Hour(10), Hour(11), Hour(9)], TimeZoneInfo.Utc, Dimensions.Page);
        var totals = await buckets.GetClosedAsync([Hour(10)], TimeZoneInfo.Utc, dimension: null);
        var absent = await buckets.GetClosedAsync([Hour(10)], TimeZoneInfo.Utc, Dimensions.Source);

        Assert.Equal(Buckets.Describe(state.Slice(Dimensions.Page)), Buckets.Describe(pages[0]!));
        Assert.Equal(3, pages[0]!.Totals.Pageviews);
        Assert.Equal(2, pages[0]!.Visitors.Count());
        Assert.Null(pages[1]);
        Assert.Null(pages[2]);
        Assert.Equal(Buckets.Describe(state.Slice(null)), Buckets.Describe(totals[0]!));
        Assert.Empty(totals[0]!.Rows);
        // A breakdown the bucket does not have is empty, not a miss that would activate the grain.
        Assert.NotNull(absent[0]);
        Assert.Empty(absent[0]!.Rows);
    }

    [Fact]
    public async Task Closed_buckets_are_read_in_one_batch_of_their_totals_and_the_one_breakdown_asked_for()
    {
        var (buckets, cache) = Create();

        await buckets.GetClosedAsync([Hour(8), Hour(9), Hour(10), Hour(11), Hour(12)], TimeZoneInfo.Utc, dimension: null);

        Assert.Equal(1, cache.Batches);
        Assert.Equal(0, cache.Singles);
        Assert.Equal([ClosedBucketCache.Key("analytics:", Hour(8)), ClosedBucketCache.Key("analytics:", Hour(9)), ClosedBucketCache.Key("analytics:", Hour(10))], cache.LastKeys);

        await buckets.GetClosedAsync([Hour(9), Hour(12)], TimeZoneInfo.Utc, Dimensions.Page);

        Assert.Equal(2, cache.Batches);
        Assert.Equal([ClosedBucketCache.Key("analytics:", Hour(9)), ClosedBucketCache.RowsKey("analytics:", Hour(9), Dimensions.Page)], cache.LastKeys);
    }

    [Fact]
    public async Task A_breakdown_listed_by_its_bucket_but_gone_from_the_cache_is_a_miss()
    {
        var (buckets, cache) = Create();
        await buckets.StoreAsync(Hour(9), Buckets.State(Buckets.Pageview(Site, new DateTime(2026, 3, 20, 9, 5, 0, DateTimeKind.Utc), "/a", "v1")));
        await cache.RemoveByPrefixAsync(ClosedBucketCache.RowsKey("analytics:", Hour(9), Dimensions.Page));

        Assert.Null((await buckets.GetClosedAsync([Hour(9)], TimeZoneInfo.Utc, Dimensions.Page))[0]);
        Assert.NotNull((await buckets.GetClosedAsync([Hour(9)], TimeZoneInfo.Utc, dimension: null))[0]);
    }

    [Fact]
    public async Task Nothing_is_asked_when_every_bucket_is_open()
    {
        var (buckets, cache) = Create();

        var found = await buckets.GetClosedAsync([Hour(11), Hour(12)], TimeZoneInfo.Utc, Dimensions.Page);

        Assert.All(found, Assert.Null);
        Assert.Equal(0, cache.Batches);
    }

    [Theory]
    [InlineData("Pacific/Kiritimati", true)] // UTC+14: 2026-03-19 ended at 10:00 UTC, closed at 11:00
    [InlineData("Etc/UTC", true)]
    [InlineData("America/New_York", true)] // UTC-4: ended at 04:00 UTC
    [InlineData("Etc/GMT+12", false)] // UTC-12: ends at 12:00 UTC, closed only at 13:00
    public void A_day_bucket_closes_an_hour_after_the_sites_local_midnight(string zone, bool closed)
    {
        var (buckets, _) = Create();

        Assert.Equal(closed, buckets.IsClosed(BucketKey.Day(Site, new DateOnly(2026, 3, 19)), TimeZones.Find(zone)));
    }

    [Fact]
    public async Task A_rewritten_entry_replaces_the_old_numbers()
    {
        var (buckets, _) = Create();
        var at = new DateTime(2026, 3, 20, 9, 5, 0, DateTimeKind.Utc);
        await buckets.StoreAsync(Hour(9), Buckets.State(Buckets.Pageview(Site, at, "/a", "v1")));

        await buckets.StoreAsync(Hour(9), Buckets.State(Buckets.Pageview(Site, at, "/a", "v1"), Buckets.Pageview(Site, at, "/late", "v9")));

        var found = await buckets.GetClosedAsync([Hour(9)], TimeZoneInfo.Utc, Dimensions.Page);
        Assert.Equal(2, found[0]!.Totals.Pageviews);
        Assert.Contains(found[0]!.Rows, r => r.Value == "/late");
    }

    [Fact]
    public async Task An_unreadable_entry_is_a_miss()
    {
        var options = Options.Create(new HotCacheOptions());
        using var memory = new MemoryHotCache(options);
        var buckets = new ClosedBucketCache(memory, options, Buckets.Serializer(), new ManualTime(Now));
        await memory.SetAsync(ClosedBucketCache.Key("analytics:", Hour(9)), Encoding.UTF8.GetBytes("not a bucket"), TimeSpan.FromMinutes(5));

        Assert.Null((await buckets.GetClosedAsync([Hour(9)], TimeZoneInfo.Utc, dimension: null))[0]);
    }

    private sealed class CountingCache(IHotCache inner) : IHotCache
    {
        public int Singles { get; private set; }
        public int Batches { get; private set; }
        public IReadOnlyList<string> LastKeys { get; private set; } = [];

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Singles++;
            return inner.GetAsync(key, cancellationToken);
        }

        public ValueTask<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
        {
            Batches++;
            LastKeys = keys;
            return inner.GetManyAsync(keys, cancellationToken);
        }

        public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            inner.SetAsync(key, value, timeToLive, cancellationToken);

        public ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
            inner.RemoveByPrefixAsync(prefix, cancellationToken);
    }
}
