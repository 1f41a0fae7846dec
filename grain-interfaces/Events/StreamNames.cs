namespace Analytics.GrainInterfaces.Events;

/// <summary>The persistent stream that carries accepted events to the lanes, in both profiles.</summary>
public static class StreamNames
{
    /// <summary>Name of the stream provider (Kafka in the cluster profile, the SQLite event log in the embedded one).</summary>
    public const string Provider = "events";

    /// <summary>
    /// Stream namespace: one stream per queue (a Kafka partition, a lane of the SQLite log), its key the queue number
    /// ("0", "1", …). A pull of a queue is one batch for its lane; each event's sequence token carries its own offset in
    /// the queue (<c>StreamSequenceToken.SequenceNumber</c>), which is what the lane checkpoints and segments gate by.
    /// </summary>
    public const string Lanes = "lanes";
}
