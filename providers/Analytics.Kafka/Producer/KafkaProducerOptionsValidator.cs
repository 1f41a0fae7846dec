using Microsoft.Extensions.Options;

namespace Analytics.Kafka.Producer;

public sealed class KafkaProducerOptionsValidator : IValidateOptions<KafkaProducerOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaProducerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers)) errors.Add($"{nameof(options.BootstrapServers)} is required");
        if (string.IsNullOrWhiteSpace(options.Topic)) errors.Add($"{nameof(options.Topic)} is required");
        if (options.ProduceLinger < TimeSpan.Zero || options.ProduceLinger > TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.ProduceLinger)} must be between 0 and 1 s");
        // librdkafka rejects a message timeout not above the linger time.
        if (options.DeliveryTimeout <= options.ProduceLinger) errors.Add($"{nameof(options.DeliveryTimeout)} must exceed {nameof(options.ProduceLinger)}");
        if (options.RetryAttempts < 0) errors.Add($"{nameof(options.RetryAttempts)} must not be negative");
        if (options.RetryDelay <= TimeSpan.Zero) errors.Add($"{nameof(options.RetryDelay)} must be positive");
        if (options.BreakerFailureRatio is <= 0 or > 1) errors.Add($"{nameof(options.BreakerFailureRatio)} must be in (0, 1]");
        if (options.BreakerMinimumThroughput < 2) errors.Add($"{nameof(options.BreakerMinimumThroughput)} must be at least 2");
        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500)) errors.Add($"{nameof(options.BreakerSamplingDuration)} must be at least 0.5 s");
        if (options.BreakDuration < TimeSpan.FromMilliseconds(500)) errors.Add($"{nameof(options.BreakDuration)} must be at least 0.5 s");
        if (options.QueueMaxMessages < 1) errors.Add($"{nameof(options.QueueMaxMessages)} must be positive");
        if (options.QueueMaxKbytes < 1) errors.Add($"{nameof(options.QueueMaxKbytes)} must be positive");
        if (options.BrokerVersionFallback is { } fallback && !Version.TryParse(fallback, out _)) errors.Add($"{nameof(options.BrokerVersionFallback)} '{fallback}' is not a version");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
