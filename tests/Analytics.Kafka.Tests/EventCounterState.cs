namespace Analytics.Kafka.Tests;

[GenerateSerializer]
public sealed class EventCounterState
{
    [Id(0)]
    public HashSet<string> Ids { get; set; } = [];
}
