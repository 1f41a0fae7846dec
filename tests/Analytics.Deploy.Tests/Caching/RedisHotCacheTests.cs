using System.Diagnostics;
using Analytics.Abstractions.Caching;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Query;
using Analytics.Redis;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Analytics.Deploy.Tests.Caching;

/// <summary>The cluster profile's cache against the real Redis of scripts/services.sh, and against a dead port.</summary>
public sealed class RedisHotCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 30, 0, TimeSpan.Zero);
    private static string Redis => $"127.0.0.1:{ServicePorts.Redis}";

    [Fact]
    public async Task Values_round_trip_through_redis_with_their_time_to_live()
    {
        if (!ServicePorts.RedisAvailable())
        {
            return;
        }

        await using var cache = new RedisHotCache(Redis);
        var key = $"analytics-test:{Guid.NewGuid():N}";
        await cache.SetAsync(key, new byte[] { 0, 1, 255 }, TimeSpan.FromMinutes(5));

        Assert.Equal(new byte[] { 0, 1, 255 }, await cache.GetAsync(key));
        Assert.Null(await cache.GetAsync(key + ":absent"));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Removing_a_prefix_deletes_all_its_keys_over_many_scan_pages_and_no_other_key()
    {
        if (!ServicePorts.RedisAvailable())
        {
            return;
        }

        await using var cache = new RedisHotCache(Redis);
        var run = $"analytics-test:{Guid.NewGuid():N}";
        // The removed prefix holds a glob character: unescaped, its SCAN pattern would match the kept prefix too.
        var (removed, kept) = ($"{run}:site*:", $"{run}:site-b:");
        // 2,500 keys a prefix: far more than one SCAN page (the client asks for 250 keys a page).
        var removedKeys = Enumerable.Range(0, 2500).Select(i => removed + i).ToList();
        var keptKeys = Enumerable.Range(0, 2500).Select(i => kept + i).ToList();
        var value = new byte[] { 42 };
        await Task.WhenAll(removedKeys.Concat(keptKeys).Select(key => cache.SetAsync(key, value, TimeSpan.FromMinutes(5)).AsTask()));
        Assert.All(await cache.GetManyAsync(removedKeys), v => Assert.NotNull(v)); // control: they were there to remove

        await cache.RemoveByPrefixAsync(removed);

        Assert.All(await cache.GetManyAsync(removedKeys), v => Assert.Null(v));
        Assert.All(await cache.GetManyAsync(keptKeys), v => Assert.Equal(value, v));
    }

    [Fact]
    public async Task Two_gateways_share_closed_results_through_redis()
    {
        if (!ServicePorts.RedisAvailable())
        {
            return;
        }

        var options = Options.Create(new HotCacheOptions { KeyPrefix = $"analytics-test:{Guid.NewGuid():N}:" });
        await using var redisA = new RedisHotCache(Redis);
        await using var redisB = new RedisHotCache(Redis);
        var gatewayA = new QueryResultCache(new ResilientHotCache(redisA, options.Value, NullLogger<ResilientHotCache>.Instance), options, new ManualTime(Now));
        var gatewayB = new QueryResultCache(new ResilientHotCache(redisB, options.Value, NullLogger<ResilientHotCache>.Instance), options, new ManualTime(Now));
        var query = Queries.Days(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));
        var runs = 0;
        Task<QueryResult> Run(StatsQuery q) { Interlocked.Increment(ref runs); return Task.FromResult(Queries.Result(41, 99)); }

        var computed = await gatewayA.GetOrRunAsync(query, Run, default);
        var shared = await gatewayB.GetOrRunAsync(query, Run, default);

        Assert.Equal(QueryCacheOutcome.Miss, computed.Outcome);
        Assert.Equal(QueryCacheOutcome.Hit, shared.Outcome);
        Assert.Equal(1, runs);
        Assert.Equal([41.0, 99.0], shared.Result.Rows[0].Metrics);
    }

    [Fact]
    public async Task A_cache_on_a_dead_port_still_answers_every_query_correctly_and_quickly()
    {
        var options = new HotCacheOptions { OperationTimeout = TimeSpan.FromMilliseconds(250) };
        await using var dead = new RedisHotCache($"127.0.0.1:{FreePort.Next()}");
        var resilient = new ResilientHotCache(dead, options, NullLogger<ResilientHotCache>.Instance);
        var cache = new QueryResultCache(resilient, Options.Create(options), new ManualTime(Now));
        var query = Queries.Days(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2));

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var (result, outcome) = await cache.GetOrRunAsync(query, _ => Task.FromResult(Queries.Result(i, 2 * i)), default);
            Assert.Equal(QueryCacheOutcome.Miss, outcome);
            Assert.Equal([i, 2.0 * i], result.Rows[0].Metrics);
        }

        // Each call is bounded by the timeout until the breaker opens; after that the cache is not asked at all.
        Assert.True(resilient.IsOpen);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
