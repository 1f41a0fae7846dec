using Analytics.Cql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Analytics.Cassandra.Health;

/// <summary>
/// Asks Cassandra (grain state and the raw event log) for its version over a session of its own, without retries and with
/// short timeouts, so /health answers within seconds and names Cassandra when it is away.
/// </summary>
public sealed class CassandraHealthCheck : IHealthCheck, IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly CqlSession _session;

    public CassandraHealthCheck(CassandraClientOptions client)
    {
        _session = new CqlSession(new CassandraClientOptions
        {
            ContactPoints = client.ContactPoints,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = Timeout,
            PoolSize = 1,
            MaxRetries = 0,
            CircuitBreakDuration = TimeSpan.FromSeconds(1),
        });
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var rows = await _session.ExecuteAsync(new CqlStatement("SELECT release_version FROM system.local") { Consistency = CqlConsistency.One }, cancellationToken)
                .WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Cassandra {rows.Rows.FirstOrDefault()?.GetString("release_version")} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Cassandra (grain state, raw event log) is unreachable: " + ex.GetType().Name + ".");
        }
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
