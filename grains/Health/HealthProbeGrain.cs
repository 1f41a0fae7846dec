using Analytics.GrainInterfaces.Health;
using Orleans.Concurrency;

namespace Analytics.Grains.Health;

/// <summary>Stateless and local to whichever silo gets the call, so the probe measures reachability only.</summary>
[StatelessWorker]
public sealed class HealthProbeGrain : Grain, IHealthProbeGrain
{
    public Task PingAsync() => Task.CompletedTask;
}
