using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Query;

/// <summary>A filter tree as one line ("and(Is visit:source [Google], not(Contains event:page [/a] i))"), for assertions.</summary>
public static class FilterText
{
    public static string Of(FilterExpression? filter) => filter switch
    {
        null => "",
        AndFilter and => $"and({string.Join(", ", and.Operands.Select(Of))})",
        OrFilter or => $"or({string.Join(", ", or.Operands.Select(Of))})",
        NotFilter not => $"not({Of(not.Operand)})",
        HasDoneFilter done => $"{(done.Negated ? "has_not_done" : "has_done")}({Of(done.EventFilter)})",
        DimensionFilter leaf => $"{leaf.Operator} {leaf.Dimension} [{string.Join("|", leaf.Values)}]{(leaf.CaseSensitive ? "" : " i")}",
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };
}
