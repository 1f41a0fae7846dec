namespace Analytics.GrainInterfaces.Query;

/// <summary>["not", filter].</summary>
[GenerateSerializer, Immutable, Alias("NotFilter")]
public sealed record NotFilter([property: Id(0)] FilterExpression Operand) : FilterExpression;
