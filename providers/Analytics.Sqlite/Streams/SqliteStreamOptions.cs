namespace Analytics.Sqlite.Streams;

/// <summary>
/// Settings of the SQLite persistent stream provider: one Orleans queue per lane of the embedded event log
/// (<see cref="EventLog.EventLogOptions.Lanes"/>), read in order and checkpointed after delivery.
/// </summary>
public sealed class SqliteStreamOptions
{
    /// <summary>Events per lane batch: the most log rows one pull of a lane reads, handed to the lane's stream as one container.</summary>
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// How long a pull of a caught-up lane waits for the log's next commit before returning empty. A commit wakes it at once,
    /// so this only bounds how long the pulling agent is held, not freshness.
    /// </summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Least time between two reads of a caught-up lane. Under load a commit lands every few milliseconds and would wake
    /// the lane for each, making batches of a few events whose fixed costs (a segment append, a checkpoint) dominate;
    /// waiting out the rest of this interval gathers them into one batch. An idle lane reads a commit at once. 300 ms, not
    /// 100: at 15,000 events/s the lag's p99 fell from 714 to 317 ms (fewer, larger appends and compactions), its p50
    /// rose from 73 to 155 ms (bench/README.md, session 31).
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Pause of the pulling agent between two pulls of a lane (Orleans' GetQueueMsgsTimerPeriod, 100 ms by default): an
    /// event committed while a pull is not waiting waits at most this long.
    /// </summary>
    public TimeSpan PullPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Lane batches the pulling agent keeps per lane until every consumer has them; a lagging consumer stops the pulls
    /// (back pressure) at about this many, so at most this times <see cref="BatchSize"/> events of a lane wait in memory.
    /// </summary>
    public int CacheSize { get; set; } = 16;

    /// <summary>
    /// Lane batches read and not yet reported delivered, past which a lane is not read further: enough for the next batch
    /// to wait while one is delivered. A deeper read-ahead only holds events in memory long enough for the collector to
    /// copy them twice (a backlog of 1M events: with the agent's cache full, 160k events in flight, 34 MB surviving each
    /// gen0 collection and 15 % of the time in GC pauses).
    /// </summary>
    public int ReadAhead { get; set; } = 2;

    /// <summary>
    /// How long the pulling agent keeps redelivering an event whose consumer fails before Orleans gives up on it. Long, as for
    /// Kafka: a storage outage shorter than this loses nothing, the lane waits and catches up.
    /// </summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Least time between two checkpoint writes of a lane (zero: after every delivery report). Longer saves writes; a crash
    /// then replays up to this much of the lane, which the grains recognise and count once.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.Zero;
}
