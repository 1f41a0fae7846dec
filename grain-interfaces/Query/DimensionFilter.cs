namespace Analytics.GrainInterfaces.Query;

/// <summary>
/// [operator, dimension, [values], {"case_sensitive": bool}]: a leaf. Matches when the dimension's value matches any of
/// <see cref="Values"/> (for the negated operators: none of them). Case-sensitive unless <see cref="CaseSensitive"/> is false.
/// </summary>
[GenerateSerializer, Immutable, Alias("DimensionFilter")]
public sealed record DimensionFilter(
    [property: Id(0)] FilterOperator Operator,
    [property: Id(1)] string Dimension,
    [property: Id(2)] IReadOnlyList<string> Values,
    [property: Id(3)] bool CaseSensitive = true) : FilterExpression;
