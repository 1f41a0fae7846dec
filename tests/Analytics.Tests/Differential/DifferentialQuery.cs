using System.Text.Json.Nodes;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Differential;

/// <summary>One randomized question, sent to our API as a Stats API v2 body and translated to SQL by <see cref="SqlTranslator"/>.</summary>
public sealed record DifferentialQuery(
    int Number,
    DifferentialSite Site,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> Dimensions,
    IReadOnlyList<FilterExpression> Filters,
    QueryRange Range,
    IReadOnlyList<QueryOrder> OrderBy)
{
    public JsonObject Body
    {
        get
        {
            var body = new JsonObject
            {
                ["site_id"] = Site.Domain,
                ["metrics"] = Strings(Metrics),
                ["date_range"] = Range.Json,
            };
            if (Range.Date is { } date)
            {
                body["date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }

            if (Dimensions.Count > 0)
            {
                body["dimensions"] = Strings(Dimensions);
            }

            if (Filters.Count > 0)
            {
                body["filters"] = new JsonArray([.. Filters.Select(Filter)]);
            }

            if (OrderBy.Count > 0)
            {
                body["order_by"] = new JsonArray([.. OrderBy.Select(o => (JsonNode)new JsonArray(o.Key, o.Descending ? "desc" : "asc"))]);
            }

            return body;
        }
    }

    public override string ToString() => Body.ToJsonString();

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    public static JsonNode Filter(FilterExpression filter) => filter switch
    {
        AndFilter and => new JsonArray("and", new JsonArray([.. and.Operands.Select(Filter)])),
        OrFilter or => new JsonArray("or", new JsonArray([.. or.Operands.Select(Filter)])),
        NotFilter not => new JsonArray("not", Filter(not.Operand)),
        HasDoneFilter done => new JsonArray(done.Negated ? "has_not_done" : "has_done", Filter(done.EventFilter)),
        DimensionFilter leaf when leaf.CaseSensitive => new JsonArray(OperatorName(leaf.Operator), leaf.Dimension, Strings(leaf.Values)),
        DimensionFilter leaf => new JsonArray(OperatorName(leaf.Operator), leaf.Dimension, Strings(leaf.Values), new JsonObject { ["case_sensitive"] = false }),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
    };

    public static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.Is => "is",
        FilterOperator.IsNot => "is_not",
        FilterOperator.Contains => "contains",
        FilterOperator.ContainsNot => "contains_not",
        FilterOperator.Matches => "matches",
        FilterOperator.MatchesNot => "matches_not",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };
}
