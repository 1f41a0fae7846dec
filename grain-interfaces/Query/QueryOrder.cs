namespace Analytics.GrainInterfaces.Query;

/// <summary>[metric or dimension, "asc" | "desc"].</summary>
[GenerateSerializer, Immutable, Alias("QueryOrder")]
public sealed record QueryOrder([property: Id(0)] string Key, [property: Id(1)] bool Descending);
