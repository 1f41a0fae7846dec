namespace Analytics.Kafka.Tests;

[GenerateSerializer, Immutable, Alias("Analytics.Kafka.Tests.TestEvent")]
public sealed record TestEvent([property: Id(0)] string Id);
