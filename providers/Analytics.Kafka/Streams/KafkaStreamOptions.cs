namespace Analytics.Kafka.Streams;

/// <summary>Settings of one Kafka persistent stream provider: one Orleans queue per partition of <see cref="Topic"/>.</summary>
public sealed class KafkaStreamOptions
{
    /// <summary>Comma-separated host:port list.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    public string Topic { get; set; } = "analytics-events";

    /// <summary>The group whose committed offsets mark what the silos have delivered.</summary>
    public string ConsumerGroupId { get; set; } = "analytics-silo";

    /// <summary>Must equal the topic's partition count: each partition becomes one Orleans queue.</summary>
    public int PartitionCount { get; set; } = 8;

    /// <summary>Most messages one poll of a partition reads, handed to the partition's lane stream as one container.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long one pull waits for the first message before returning empty.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Bytes the broker gathers for a partition's consumer before it answers a fetch (or <see cref="FetchMaxWait"/> passes).
    /// librdkafka's default of one byte made the broker answer every consumer once per produce request, about once per
    /// message at a few thousand messages a second over eight partitions: most of the broker's and the receivers' work.
    /// </summary>
    public int FetchMinBytes { get; set; } = 64 * 1024;

    /// <summary>Longest the broker holds a fetch that has not reached <see cref="FetchMinBytes"/>: what a quiet partition's message may wait.</summary>
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Least time between two reads of a partition that is keeping up. The pulling agent reads again as soon as a read
    /// returned messages, so under steady load each poll took the few messages of the last milliseconds, and a batch's
    /// fixed costs (a segment append per touched segment, a checkpoint, their Cassandra writes) were paid every few
    /// events; waiting out the rest of this interval gathers them. A partition behind (a full poll) reads on at once, and
    /// an idle one reads its next message at once. 300 ms, not 100: a batch touches a segment of each of its sites, and
    /// four times the events per batch took Cassandra from 0.70 to 0.58 cores while the beacons one gateway took rose
    /// from 4,047 to 5,634 a second (bench/README.md, session 31).
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Polls read ahead of the lane: a partition is not read again while this many of its polls wait in the agent's cache or
    /// are being delivered. Orleans' cache takes up to <see cref="CacheSize"/> polls, and a lane slower than the messages
    /// arrive faced a queue of small polls (a second of lag at any rate), each paying a batch's fixed costs; held back
    /// here, the messages wait in Kafka and the next poll takes them all at once. 2: one poll delivered, the next ready.
    /// A poll whose delivery Orleans gave up on (<see cref="MaxEventDeliveryTime"/>) holds nothing back after that long.
    /// </summary>
    public int MaxPollsInFlight { get; set; } = 2;

    /// <summary>
    /// Polls (containers) the pulling agent keeps per partition until every consumer has them; a lagging consumer stops the
    /// polls (back pressure) at about this many, so at most this times <see cref="BatchSize"/> messages wait in memory.
    /// </summary>
    public int CacheSize { get; set; } = 16;

    /// <summary>
    /// How long the pulling agent keeps redelivering an event whose consumer fails (e.g. Cassandra down) before Orleans gives up
    /// on it and moves on. Orleans' default is one minute, which would skip accepted events during a longer storage outage;
    /// an outage shorter than this loses nothing (the partition waits and then catches up).
    /// </summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the consumer commits the delivered offsets it has stored (in the background; also on release).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait between two reads of a partition that failed (broker down, assignment timed out); the waits double from
    /// one second up to this. Orleans' own default waits 10–20 s, which leaves a partition idle long after its broker is back.
    /// </summary>
    public TimeSpan ReadRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consumer session timeout; receivers assign partitions rather than join the group, so it rarely matters.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(30);

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
