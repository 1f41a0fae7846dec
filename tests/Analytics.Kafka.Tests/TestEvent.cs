namespace Analytics.Kafka.Tests;

[GenerateSerializer, Immutable]
public sealed record TestEvent([property: Id(0)] string Id);
