namespace Analytics.Kafka.Tests;

[GenerateSerializer, Alias("Analytics.Kafka.Tests.EventCounterState")]
public sealed class EventCounterState
{
    [Id(0)]
    public HashSet<string> Ids { get; set; } = [];

    /// <summary>The offset of the last event applied: what a lane checkpoints and gates redeliveries by.</summary>
    [Id(1)]
    public long LastOffset { get; set; } = -1;

    [Id(2)]
    public int Duplicates { get; set; }

    [Id(3)]
    public int Batches { get; set; }

    [Id(4)]
    public int OutOfOrder { get; set; }
}
