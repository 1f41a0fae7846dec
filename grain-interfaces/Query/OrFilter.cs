namespace Analytics.GrainInterfaces.Query;

/// <summary>["or", [filters]]: at least one operand matches.</summary>
[GenerateSerializer, Immutable, Alias("OrFilter")]
public sealed record OrFilter([property: Id(0)] IReadOnlyList<FilterExpression> Operands) : FilterExpression;
