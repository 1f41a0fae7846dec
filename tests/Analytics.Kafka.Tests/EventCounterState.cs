namespace Analytics.Kafka.Tests;

[GenerateSerializer, Alias("Analytics.Kafka.Tests.EventCounterState")]
public sealed class EventCounterState
{
    [Id(0)]
    public HashSet<string> Ids { get; set; } = [];
}
