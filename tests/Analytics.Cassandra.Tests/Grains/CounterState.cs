namespace Analytics.Cassandra.Tests.Grains;

[GenerateSerializer, Alias("Analytics.Cassandra.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Total { get; set; }

    [Id(1)]
    public List<string> History { get; set; } = [];
}
