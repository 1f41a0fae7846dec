namespace Analytics.Kafka.Tests;

/// <summary>What one lane's counter saw: distinct events (of an id prefix), events applied twice, batch calls, tokens out of order.</summary>
[GenerateSerializer, Immutable, Alias("Analytics.Kafka.Tests.LaneCounts")]
public sealed record LaneCounts([property: Id(0)] int Events, [property: Id(1)] int Duplicates, [property: Id(2)] int Batches, [property: Id(3)] int OutOfOrder);
