using Analytics.GrainInterfaces.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Analytics.Gateway.Health;

/// <summary>
/// The gateway's Orleans client reaches a silo: without one no query or site call can be answered. The probe grain touches
/// neither storage nor the membership table, so a Cassandra or Redis outage does not take the gateway out of a balancer.
/// </summary>
public sealed class OrleansClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHealthProbeGrain>(0).PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("A silo answers.");
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Orleans cluster does not answer: " + ex.GetType().Name + ".");
        }
    }
}
