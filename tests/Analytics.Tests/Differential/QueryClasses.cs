using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Differential;

/// <summary>
/// The features of a query (each dimension, operator, combinator, metric, range kind) and, over a run, how many queries
/// with each feature agreed and the smallest one that did not: the list that says which classes of question disagree.
/// </summary>
public sealed class QueryClasses
{
    private readonly Dictionary<string, (int Agreed, int Disagreed, DifferentialQuery? Smallest)> _classes = new(StringComparer.Ordinal);

    public void Record(DifferentialQuery query, bool agreed)
    {
        foreach (var feature in Features(query).Distinct(StringComparer.Ordinal))
        {
            var (ok, bad, smallest) = _classes.GetValueOrDefault(feature);
            if (!agreed && (smallest is null || query.ToString().Length < smallest.ToString().Length))
            {
                smallest = query;
            }

            _classes[feature] = agreed ? (ok + 1, bad, smallest) : (ok, bad + 1, smallest);
        }
    }

    public string Report() => string.Join("\n", _classes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
        $"{c.Key,-36} agreed {c.Value.Agreed,4}  disagreed {c.Value.Disagreed,4}" + (c.Value.Smallest is { } q ? $"  e.g. #{q.Number} {q}" : "")));

    private static IEnumerable<string> Features(DifferentialQuery query)
    {
        yield return $"dimensions:{query.Dimensions.Count}";
        foreach (var dimension in query.Dimensions)
        {
            yield return "dimension:" + (dimension.StartsWith("event:props:", StringComparison.Ordinal) ? "event:props" : dimension);
        }

        foreach (var metric in query.Metrics)
        {
            yield return "metric:" + metric;
        }

        yield return "range:" + (query.Range.Preset is { } preset ? "preset " + preset : query.Range.From is not null ? "datetimes" : "dates");
        yield return query.Filters.Count == 0 ? "filter:none" : $"filters:{query.Filters.Count}";
        foreach (var feature in query.Filters.SelectMany(FilterFeatures))
        {
            yield return feature;
        }

        if (query.OrderBy.Count > 0)
        {
            yield return "order_by";
        }
    }

    private static IEnumerable<string> FilterFeatures(FilterExpression filter) => filter switch
    {
        AndFilter and => and.Operands.SelectMany(FilterFeatures).Prepend("filter:and"),
        OrFilter or => or.Operands.SelectMany(FilterFeatures).Prepend("filter:or"),
        NotFilter not => FilterFeatures(not.Operand).Prepend("filter:not"),
        HasDoneFilter done => FilterFeatures(done.EventFilter).Prepend(done.Negated ? "filter:has_not_done" : "filter:has_done"),
        DimensionFilter leaf =>
        [
            "filter:" + DifferentialQuery.OperatorName(leaf.Operator) + (leaf.CaseSensitive ? "" : " (case_sensitive false)"),
            "filter on " + (leaf.Dimension.StartsWith("event:props:", StringComparison.Ordinal) ? "event:props" : leaf.Dimension),
        ],
        _ => [],
    };
}
