using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Analytics.Kafka.Producer;

/// <summary>Unhealthy while the producer's circuit breaker is open: the gateway answers beacons 503 then, so a balancer should skip it.</summary>
public sealed class KafkaProducerHealthCheck(KafkaBeaconProducer producer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(producer.IsAvailable
            ? HealthCheckResult.Healthy("Kafka acknowledges beacons.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Kafka is unavailable: the producer's circuit breaker is open."));
}
