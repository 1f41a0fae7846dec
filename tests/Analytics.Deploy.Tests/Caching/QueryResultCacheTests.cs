using System.Diagnostics;
using Analytics.Abstractions.Caching;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Query;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Deploy.Tests.Caching;

public sealed class QueryResultCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 30, 0, TimeSpan.Zero);

    private static (QueryResultCache Cache, MemoryHotCache Memory) Create(TimeProvider time, HotCacheOptions? options = null)
    {
        var settings = Options.Create(options ?? new HotCacheOptions());
        var memory = new MemoryHotCache(settings);
        return (new QueryResultCache(memory, settings, time), memory);
    }

    [Fact]
    public async Task A_closed_range_is_answered_from_the_cache_without_running_the_query_again()
    {
        var (cache, _) = Create(new ManualTime(Now));
        var runs = 0;
        Task<QueryResult> Run(StatsQuery q) { runs++; return Task.FromResult(Queries.Result(3, 7)); }
        var query = Queries.Days(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 19));

        var first = await cache.GetOrRunAsync(query, Run, default);
        var second = await cache.GetOrRunAsync(query with { Metrics = [.. query.Metrics] }, Run, default);

        Assert.Equal(QueryCacheOutcome.Miss, first.Outcome);
        Assert.Equal(QueryCacheOutcome.Hit, second.Outcome);
        Assert.Equal(1, runs);
        Assert.Equal([3.0, 7.0], second.Result.Rows[0].Metrics);
        Assert.Equal(1, second.Result.TotalRows);
    }

    [Fact]
    public async Task An_open_range_is_never_cached()
    {
        var (cache, _) = Create(new ManualTime(Now));
        var runs = 0;
        Task<QueryResult> Run(StatsQuery q) => Task.FromResult(Queries.Result(++runs, 0));
        var today = Queries.Days(new DateOnly(2026, 3, 14), new DateOnly(2026, 3, 20));

        var first = await cache.GetOrRunAsync(today, Run, default);
        var second = await cache.GetOrRunAsync(today, Run, default);

        Assert.Equal(QueryCacheOutcome.Bypass, first.Outcome);
        Assert.Equal(QueryCacheOutcome.Bypass, second.Outcome);
        Assert.Equal(2.0, second.Result.Rows[0].Metrics[0]);
    }

    [Theory]
    // A local day in New York (UTC-4 in late March 2026) ends at 04:00 UTC the next day; closed one hour (ClosedAfter) later.
    [InlineData("America/New_York", "2026-03-21T04:59:59Z", false)]
    [InlineData("America/New_York", "2026-03-21T05:00:00Z", true)]
    // Asia/Tokyo (UTC+9): the 20th ends at 15:00 UTC on the 20th.
    [InlineData("Asia/Tokyo", "2026-03-20T15:59:00Z", false)]
    [InlineData("Asia/Tokyo", "2026-03-20T16:00:00Z", true)]
    [InlineData("Etc/UTC", "2026-03-21T00:59:00Z", false)]
    [InlineData("Etc/UTC", "2026-03-21T01:00:00Z", true)]
    public void A_day_range_closes_after_its_last_local_midnight_plus_the_settle_time(string timezone, string now, bool closed)
    {
        var query = Queries.Days(new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 20), timezone);
        Assert.Equal(closed, QueryResultCache.IsClosed(query, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void An_hour_range_closes_after_its_last_hour_plus_the_settle_time()
    {
        var query = Queries.Hours(new DateTime(2026, 3, 20, 8, 0, 0), new DateTime(2026, 3, 20, 10, 0, 0));
        Assert.Equal(new DateTime(2026, 3, 20, 11, 0, 0, DateTimeKind.Utc), QueryResultCache.RangeEndUtc(query));
        Assert.False(QueryResultCache.IsClosed(query, new DateTime(2026, 3, 20, 11, 59, 0, DateTimeKind.Utc), TimeSpan.FromHours(1)));
        Assert.True(QueryResultCache.IsClosed(query, new DateTime(2026, 3, 20, 12, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_key_is_the_canonical_query_hash_so_every_difference_is_a_different_entry()
    {
        var query = Queries.Days(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31));
        var key = QueryResultCache.Key("analytics:", query);

        Assert.StartsWith("analytics:q2:cache.test:", key, StringComparison.Ordinal);
        Assert.Equal(key, QueryResultCache.Key("analytics:", query with { Metrics = ["visitors", "pageviews"] }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Metrics = ["pageviews", "visitors"] }));
        var google = new AndFilter([new DimensionFilter(FilterOperator.Is, "visit:source", ["Google"])]);
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Filter = google }));
        Assert.Equal(QueryResultCache.Key("analytics:", query with { Filter = google }),
            QueryResultCache.Key("analytics:", query with { Filter = new AndFilter([new DimensionFilter(FilterOperator.Is, "visit:source", ["Google"])]) }));
        Assert.NotEqual(QueryResultCache.Key("analytics:", query with { Filter = google }),
            QueryResultCache.Key("analytics:", query with { Filter = new AndFilter([new DimensionFilter(FilterOperator.Is, "visit:source", ["Google"], CaseSensitive: false)]) }));
        Assert.NotEqual(QueryResultCache.Key("analytics:", query with { Filter = google }),
            QueryResultCache.Key("analytics:", query with { Filter = new OrFilter([new DimensionFilter(FilterOperator.Is, "visit:source", ["Google"])]) }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { ToUtc = query.ToUtc.AddHours(-1) }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Dimensions = ["visit:source", "event:page"] }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Timezone = "Europe/Berlin" }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Offset = 10 }));
        Assert.NotEqual(key, QueryResultCache.Key("analytics:", query with { Site = "other.test" }));
    }

    [Fact]
    public async Task A_failing_cache_degrades_to_the_grains_and_the_breaker_stops_asking_it()
    {
        var broken = new BrokenCache(hang: false);
        var options = new HotCacheOptions { BreakerMinimumThroughput = 4, BreakDuration = TimeSpan.FromMinutes(1) };
        var resilient = new ResilientHotCache(broken, options, NullLogger<ResilientHotCache>.Instance);
        var cache = new QueryResultCache(resilient, Options.Create(options), new ManualTime(Now));
        var query = Queries.Days(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2));

        for (var i = 0; i < 10; i++)
        {
            var (result, outcome) = await cache.GetOrRunAsync(query, _ => Task.FromResult(Queries.Result(i, 1)), default);
            Assert.Equal(QueryCacheOutcome.Miss, outcome);
            Assert.Equal(i, result.Rows[0].Metrics[0]);
        }

        Assert.True(resilient.IsOpen);
        Assert.InRange(broken.Calls, 4, 6);
    }

    [Fact]
    public async Task A_hanging_cache_costs_at_most_the_operation_timeout()
    {
        var options = new HotCacheOptions { OperationTimeout = TimeSpan.FromMilliseconds(100) };
        var resilient = new ResilientHotCache(new BrokenCache(hang: true), options, NullLogger<ResilientHotCache>.Instance);
        var cache = new QueryResultCache(resilient, Options.Create(options), new ManualTime(Now));

        var watch = Stopwatch.StartNew();
        var (result, outcome) = await cache.GetOrRunAsync(Queries.Days(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2)), _ => Task.FromResult(Queries.Result(1, 2)), default);

        Assert.Equal(QueryCacheOutcome.Miss, outcome);
        Assert.Equal(2.0, result.Rows[0].Metrics[1]);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task The_memory_cache_forgets_entries_after_their_time_to_live()
    {
        using var memory = new MemoryHotCache(Options.Create(new HotCacheOptions()));
        await memory.SetAsync("k", new byte[] { 1, 2, 3 }, TimeSpan.FromMilliseconds(200));
        Assert.Equal(new byte[] { 1, 2, 3 }, await memory.GetAsync("k"));
        await Analytics.Testing.Poll.UntilAsync(async () => await memory.GetAsync("k") is null, TimeSpan.FromSeconds(5), "the entry to expire");
    }

    private sealed class BrokenCache(bool hang) : IHotCache
    {
        private int _calls;

        public int Calls => _calls;

        public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            throw new IOException("cache down");
        }

        public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            await GetAsync(key, cancellationToken);

        public async ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
            await GetAsync(prefix, cancellationToken);
    }
}
