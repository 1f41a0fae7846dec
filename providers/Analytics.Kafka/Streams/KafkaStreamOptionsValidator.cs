using Microsoft.Extensions.Options;

namespace Analytics.Kafka.Streams;

/// <summary>Fails silo start-up on settings that would only show up later as a stalled partition.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string name) : IConfigurationValidator
{
    public static IConfigurationValidator Create(IServiceProvider services, string name) =>
        new KafkaStreamOptionsValidator(services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name), name);

    public void ValidateConfiguration()
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid {nameof(KafkaStreamOptions)} for stream provider '{name}': {string.Join("; ", errors)}");
        }
    }

    public static IReadOnlyList<string> Validate(KafkaStreamOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers)) errors.Add($"{nameof(options.BootstrapServers)} is required");
        if (string.IsNullOrWhiteSpace(options.Topic)) errors.Add($"{nameof(options.Topic)} is required");
        if (string.IsNullOrWhiteSpace(options.ConsumerGroupId)) errors.Add($"{nameof(options.ConsumerGroupId)} is required");
        if (options.PartitionCount < 1) errors.Add($"{nameof(options.PartitionCount)} must be at least 1");
        if (options.BatchSize < 1) errors.Add($"{nameof(options.BatchSize)} must be at least 1");
        // Orleans' cache signals back pressure at ten buckets of a tenth of its size; a smaller cache would overflow first.
        if (options.CacheSize < 10) errors.Add($"{nameof(options.CacheSize)} must be at least 10");
        if (options.PollTimeout < TimeSpan.Zero || options.PollTimeout > TimeSpan.FromSeconds(10)) errors.Add($"{nameof(options.PollTimeout)} must be between 0 and 10 s");
        if (options.MaxPollsInFlight < 1 || options.MaxPollsInFlight > options.CacheSize) errors.Add($"{nameof(options.MaxPollsInFlight)} must be between 1 and {nameof(options.CacheSize)}");
        if (options.FetchMinBytes < 1 || options.FetchMinBytes > 1024 * 1024) errors.Add($"{nameof(options.FetchMinBytes)} must be between 1 and 1 MiB");
        if (options.FetchMaxWait < TimeSpan.Zero || options.FetchMaxWait > TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.FetchMaxWait)} must be between 0 and 1 s");
        if (options.Linger < TimeSpan.Zero || options.Linger > TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.Linger)} must be between 0 and 1 s");
        if (options.MaxEventDeliveryTime < TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.MaxEventDeliveryTime)} must be at least 1 s");
        if (options.CommitInterval < TimeSpan.FromMilliseconds(100) || options.CommitInterval > TimeSpan.FromMinutes(1)) errors.Add($"{nameof(options.CommitInterval)} must be between 100 ms and 1 min");
        if (options.ReadRetryMaxDelay < TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.ReadRetryMaxDelay)} must be at least 1 s");
        if (options.SessionTimeout < TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.SessionTimeout)} must be at least 1 s");
        if (options.BrokerVersionFallback is { } fallback && !Version.TryParse(fallback, out _)) errors.Add($"{nameof(options.BrokerVersionFallback)} '{fallback}' is not a version");
        return errors;
    }
}
