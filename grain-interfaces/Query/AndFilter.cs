namespace Analytics.GrainInterfaces.Query;

/// <summary>["and", [filters]]: every operand matches.</summary>
[GenerateSerializer, Immutable, Alias("AndFilter")]
public sealed record AndFilter([property: Id(0)] IReadOnlyList<FilterExpression> Operands) : FilterExpression;
