using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Analytics.Redis;

/// <summary>
/// PINGs the Redis that holds Orleans membership (and, on gateways, the hot cache). Down is <see cref="HealthStatus.Degraded"/>:
/// running silos and clients keep their membership view and the cache falls back to the grains, so the process still serves.
/// </summary>
public sealed class RedisHealthCheck(string connectionString) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // Connected on first use and kept: StackExchange.Redis reconnects by itself once Redis is back.
    private readonly Lazy<ConnectionMultiplexer> _redis = new(() =>
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)Timeout.TotalMilliseconds;
        options.SyncTimeout = (int)Timeout.TotalMilliseconds;
        options.AsyncTimeout = (int)Timeout.TotalMilliseconds;
        return ConnectionMultiplexer.Connect(options);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await _redis.Value.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis (membership, hot cache) is unreachable: " + ex.GetType().Name + ".");
        }
    }

    public void Dispose()
    {
        if (_redis.IsValueCreated)
        {
            _redis.Value.Dispose();
        }
    }
}
