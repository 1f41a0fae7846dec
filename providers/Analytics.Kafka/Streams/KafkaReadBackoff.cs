using Orleans.Runtime.Providers;

namespace Analytics.Kafka.Streams;

/// <summary>
/// How long the pulling agent waits after a failed read of a partition: one second, doubling up to
/// <see cref="KafkaStreamOptions.ReadRetryMaxDelay"/>, so a broker that comes back is read again within seconds.
/// </summary>
public sealed class KafkaReadBackoff(TimeSpan maxDelay) : IQueueReaderBackoffProvider
{
    public TimeSpan Next(int attempt)
    {
        var seconds = Math.Pow(2, Math.Clamp(attempt, 0, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, maxDelay.TotalSeconds));
    }
}
