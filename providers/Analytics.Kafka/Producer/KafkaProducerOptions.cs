namespace Analytics.Kafka.Producer;

/// <summary>
/// Settings of the gateway's beacon producer. Every produce waits for acks=all, since a beacon is
/// answered 202 only once Kafka holds it.
/// </summary>
public sealed class KafkaProducerOptions
{
    /// <summary>Comma-separated host:port list.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    public string Topic { get; set; } = "analytics-events";

    /// <summary>
    /// How long the client gathers messages into one produce request; trades latency for throughput. Named apart from
    /// the silos' <c>Linger</c> (how long a partition's reader gathers messages), which shares the section. 1 ms, not
    /// librdkafka's 5: a beacon's 202 waits for its produce, and concurrent beacons still share requests (bench/README.md).
    /// </summary>
    public TimeSpan ProduceLinger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long one attempt may wait for the broker's acknowledgement before it counts as failed.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts after the first one for a transient failure.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens the breaker.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within the sampling window before the breaker may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker fails every produce at once before it lets one through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most messages the client holds unacknowledged; more fail at once (the gateway answers 503).</summary>
    public int QueueMaxMessages { get; set; } = 20_000;

    /// <summary>Most kilobytes the client holds unacknowledged; with <see cref="QueueMaxMessages"/> it bounds the gateway's memory while Kafka is away.</summary>
    public int QueueMaxKbytes { get; set; } = 32_768;

    /// <summary>
    /// Compatibility with Kafka 0.9 brokers only (older than 0.10, which cannot tell a client their API versions): set false
    /// there, together with <see cref="BrokerVersionFallback"/>. Leave null for any supported Kafka; the client negotiates.
    /// </summary>
    public bool? ApiVersionRequest { get; set; }

    /// <summary>
    /// Compatibility with Kafka 0.9 brokers only: the version the client assumes when it may not ask (e.g. "0.9.0.1", with
    /// <see cref="ApiVersionRequest"/> false). Leave null for any supported Kafka.
    /// </summary>
    public string? BrokerVersionFallback { get; set; }
}
