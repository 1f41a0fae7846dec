using Analytics.Abstractions.Caching;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Caching;

/// <summary>The embedded hot cache: bounded by bytes, it makes room for what is stored, dropping large values first.</summary>
public sealed class MemoryHotCacheTests : IDisposable
{
    private const int Limit = 1 << 20;
    private const int Large = 340 * 1024;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly MemoryHotCache _cache = new(Options.Create(new HotCacheOptions { MemorySizeLimitBytes = Limit }));

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task A_small_value_stored_into_a_full_cache_is_kept_and_large_values_go_first()
    {
        for (var i = 0; i < 3; i++)
        {
            await _cache.SetAsync($"segment{i}", new byte[Large], Ttl);
        }

        // Full of large values (1,020 of 1,024 KiB): the result must still be stored, at once.
        await _cache.SetAsync("result", new byte[20 * 1024], Ttl);
        Assert.NotNull(await _cache.GetAsync("result"));

        // More large values: they push out the older large ones, never the small one.
        for (var i = 3; i < 8; i++)
        {
            await _cache.SetAsync($"segment{i}", new byte[Large], Ttl);
            Assert.NotNull(await _cache.GetAsync($"segment{i}"));
            Assert.NotNull(await _cache.GetAsync("result"));
        }

        Assert.Null(await _cache.GetAsync("segment0"));
    }

    [Fact]
    public async Task A_value_larger_than_the_cache_is_not_kept_and_does_not_leave_an_older_one_behind()
    {
        await _cache.SetAsync("key", new byte[] { 1, 2, 3 }, Ttl);
        await _cache.SetAsync("key", new byte[Limit + 1], Ttl);
        Assert.Null(await _cache.GetAsync("key"));
    }

    [Fact]
    public async Task A_whole_array_is_kept_as_handed_over_and_a_slice_is_copied()
    {
        var whole = new byte[] { 1, 2, 3, 4 };
        await _cache.SetAsync("whole", whole, Ttl);
        Assert.Same(whole, await _cache.GetAsync("whole"));

        var source = new byte[] { 9, 1, 2, 3, 9 };
        await _cache.SetAsync("slice", source.AsMemory(1, 3), Ttl);
        source[2] = 0;
        Assert.Equal(new byte[] { 1, 2, 3 }, await _cache.GetAsync("slice"));
    }
}
