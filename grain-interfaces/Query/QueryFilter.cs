namespace Analytics.GrainInterfaces.Query;

/// <summary>["is" | "is_not" | "contains", dimension, [values]] as in Stats API v2.</summary>
[GenerateSerializer, Immutable, Alias("QueryFilter")]
public sealed record QueryFilter(
    [property: Id(0)] string Operator,
    [property: Id(1)] string Dimension,
    [property: Id(2)] IReadOnlyList<string> Values)
{
    public const string Is = "is";
    public const string IsNot = "is_not";
    public const string Contains = "contains";

    public bool Matches(string value) => Operator switch
    {
        Is => Values.Contains(value, StringComparer.Ordinal),
        IsNot => !Values.Contains(value, StringComparer.Ordinal),
        Contains => Values.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}
