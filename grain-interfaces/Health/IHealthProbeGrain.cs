namespace Analytics.GrainInterfaces.Health;

/// <summary>
/// A call any silo answers at once, touching neither storage nor the membership table: a client's health check uses it to
/// learn that it reaches a silo, whatever else is down.
/// </summary>
[Alias("IHealthProbeGrain")]
public interface IHealthProbeGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task PingAsync();
}
