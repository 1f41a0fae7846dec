using Analytics.Abstractions.Caching;
using StackExchange.Redis;

namespace Analytics.Redis;

/// <summary>
/// The cluster profile's hot cache: one Redis shared by every gateway (and silo). Connects lazily and never blocks
/// start-up; while Redis is away calls fail fast and <see cref="ResilientHotCache"/> turns that into misses.
/// </summary>
public sealed class RedisHotCache : IHotCache, IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    public RedisHotCache(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        _connection = new(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var db = (await _connection.Value.WaitAsync(cancellationToken)).GetDatabase();
        var value = await db.StringGetAsync(key).WaitAsync(cancellationToken);
        return value.IsNull ? null : (byte[]?)value;
    }

    public async ValueTask<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var db = (await _connection.Value.WaitAsync(cancellationToken)).GetDatabase();
        var values = await db.StringGetAsync([.. keys.Select(k => (RedisKey)k)]).WaitAsync(cancellationToken);
        return [.. values.Select(v => v.IsNull ? null : (byte[]?)v)];
    }

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var db = (await _connection.Value.WaitAsync(cancellationToken)).GetDatabase();
        await db.StringSetAsync(key, value, timeToLive).WaitAsync(cancellationToken);
    }

    /// <summary>SCANs every server for the prefix (never KEYS, which blocks Redis) and deletes what it finds.</summary>
    public async ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken);
        var db = connection.GetDatabase();
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: RedisPattern(prefix) + "*").WithCancellation(cancellationToken))
            {
                await db.KeyDeleteAsync(key).WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>The prefix with Redis glob characters escaped, so a key prefix matches only itself.</summary>
    public static string RedisPattern(string prefix) =>
        string.Concat(prefix.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync();
        }
    }
}
