using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>
/// Reads a Stats API v2 "filters" array into a <see cref="FilterExpression"/> tree: leaves
/// [operator, dimension, [values], {"case_sensitive": false}?], ["and" | "or", [filters]], ["not", filter],
/// ["has_done" | "has_not_done", event filter]. Every bound is a 400 naming what exceeded it, so no filter can make the
/// scan expensive: nesting depth, leaves, values per leaf, value and pattern lengths, and patterns that compile
/// for the linear-time (non-backtracking) regex engine only.
/// </summary>
public static class FilterParser
{
    public const int MaxDepth = 8;
    public const int MaxLeaves = 64;
    public const int MaxValuesPerLeaf = 100;
    public const int MaxValueLength = 2048;
    public const int MaxPatternLength = 256;

    public static readonly IReadOnlyList<string> Operators = ["is", "is_not", "contains", "contains_not", "matches", "matches_not"];

    private const string Shape =
        "Each filter is [operator, dimension, [values]] (optionally with {\"case_sensitive\": false}), [\"and\" | \"or\", [filters]], [\"not\", filter] or [\"has_done\" | \"has_not_done\", filter].";

    /// <summary>The query's filters as one tree (their conjunction), or null when there are none.</summary>
    public static FilterExpression? Parse(JsonElement root)
    {
        if (!root.TryGetProperty("filters", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new QueryValidationException("filters must be an array of filters. " + Shape);
        }

        var leaves = 0;
        var operands = array.EnumerateArray().Select(f => Read(f, depth: 1, inHasDone: false, ref leaves)).ToList();
        return operands.Count == 0 ? null : new AndFilter(operands);
    }

    private static FilterExpression Read(JsonElement filter, int depth, bool inHasDone, ref int leaves)
    {
        if (depth > MaxDepth)
        {
            throw new QueryValidationException($"filters nest deeper than {MaxDepth} levels.");
        }

        if (filter.ValueKind != JsonValueKind.Array || filter.GetArrayLength() < 2 || filter[0].ValueKind != JsonValueKind.String)
        {
            throw new QueryValidationException(Shape);
        }

        var op = filter[0].GetString()!;
        switch (op)
        {
            case "and" or "or":
                if (filter.GetArrayLength() != 2 || filter[1].ValueKind != JsonValueKind.Array || filter[1].GetArrayLength() == 0)
                {
                    throw new QueryValidationException($"\"{op}\" takes one non-empty array of filters: [\"{op}\", [filters]].");
                }

                var operands = new List<FilterExpression>();
                foreach (var operand in filter[1].EnumerateArray())
                {
                    operands.Add(Read(operand, depth + 1, inHasDone, ref leaves));
                }

                return op == "and" ? new AndFilter(operands) : new OrFilter(operands);
            case "not":
                return filter.GetArrayLength() == 2
                    ? new NotFilter(Read(filter[1], depth + 1, inHasDone, ref leaves))
                    : throw new QueryValidationException("\"not\" takes one filter: [\"not\", filter].");
            case "has_done" or "has_not_done":
                if (inHasDone)
                {
                    throw new QueryValidationException($"\"{op}\" cannot be nested inside has_done or has_not_done.");
                }

                if (filter.GetArrayLength() != 2)
                {
                    throw new QueryValidationException($"\"{op}\" takes one filter on event dimensions: [\"{op}\", [\"is\", \"event:goal\", [\"Signup\"]]].");
                }

                return new HasDoneFilter(Read(filter[1], depth + 1, inHasDone: true, ref leaves), Negated: op == "has_not_done");
            default:
                return Leaf(filter, op, inHasDone, ref leaves);
        }
    }

    private static DimensionFilter Leaf(JsonElement filter, string op, bool inHasDone, ref int leaves)
    {
        var length = filter.GetArrayLength();
        if (length is < 3 or > 4 || filter[1].ValueKind != JsonValueKind.String || filter[2].ValueKind != JsonValueKind.Array)
        {
            throw new QueryValidationException(Operators.Contains(op) ? Shape : UnknownOperator(op));
        }

        var kind = op switch
        {
            "is" => FilterOperator.Is,
            "is_not" => FilterOperator.IsNot,
            "contains" => FilterOperator.Contains,
            "contains_not" => FilterOperator.ContainsNot,
            "matches" => FilterOperator.Matches,
            "matches_not" => FilterOperator.MatchesNot,
            _ => throw new QueryValidationException(UnknownOperator(op)),
        };

        if (++leaves > MaxLeaves)
        {
            throw new QueryValidationException($"filters have more than {MaxLeaves} conditions.");
        }

        var dimension = QueryDimensions.Validate(filter[1].GetString()!, "filter dimension");
        if (inHasDone && !QueryDimensions.IsEventScoped(dimension))
        {
            throw new QueryValidationException($"has_done and has_not_done take filters on event dimensions only, not '{dimension}'.");
        }

        var caseSensitive = length == 4 ? CaseSensitive(filter[3], op) : true;
        var values = Values(filter[2], op, dimension);
        if (kind is FilterOperator.Matches or FilterOperator.MatchesNot)
        {
            values = [.. values.Select(v => Pattern(v, op, caseSensitive))];
        }

        return new DimensionFilter(kind, dimension, values, caseSensitive);
    }

    private static string UnknownOperator(string op) =>
        $"Unknown filter operator '{op}'; use {string.Join(", ", Operators)}, and, or, not, has_done or has_not_done.";

    private static bool CaseSensitive(JsonElement modifiers, string op)
    {
        if (modifiers.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException($"The fourth item of a '{op}' filter is its modifiers: {{\"case_sensitive\": false}}.");
        }

        var caseSensitive = true;
        foreach (var modifier in modifiers.EnumerateObject())
        {
            caseSensitive = modifier.Name == "case_sensitive"
                ? modifier.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new QueryValidationException("The filter modifier case_sensitive must be true or false."),
                }
                : throw new QueryValidationException($"Unknown filter modifier '{modifier.Name}'; the only one is case_sensitive.");
        }

        return caseSensitive;
    }

    private static List<string> Values(JsonElement array, string op, string dimension)
    {
        var count = array.GetArrayLength();
        if (count == 0 || count > MaxValuesPerLeaf)
        {
            throw new QueryValidationException($"A '{op}' filter on '{dimension}' takes 1 to {MaxValuesPerLeaf} values.");
        }

        var values = new List<string>(count);
        foreach (var value in array.EnumerateArray())
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                // Plausible's clauses may be integers (e.g. a screen width): read as their decimal text.
                JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                _ => throw new QueryValidationException($"The values of a '{op}' filter on '{dimension}' must be strings."),
            };
            if (text.Length > MaxValueLength)
            {
                throw new QueryValidationException($"A value of a '{op}' filter on '{dimension}' is longer than {MaxValueLength} characters.");
            }

            values.Add(text);
        }

        return values;
    }

    /// <summary>
    /// An RE2-syntax pattern as .NET's non-backtracking engine reads it (named groups (?P&lt;n&gt;…) become (?&lt;n&gt;…)),
    /// compiled once here so an invalid or unsupported one is a 400 naming it, not an error during the scan.
    /// </summary>
    private static string Pattern(string pattern, string op, bool caseSensitive)
    {
        if (pattern.Length > MaxPatternLength)
        {
            throw new QueryValidationException($"A '{op}' pattern is longer than {MaxPatternLength} characters.");
        }

        var dotnet = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        try
        {
            _ = new Regex(dotnet, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase));
        }
        catch (ArgumentException ex)
        {
            throw new QueryValidationException($"The '{op}' pattern '{pattern}' is not a valid regular expression: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            throw new QueryValidationException(
                $"The '{op}' pattern '{pattern}' cannot run in linear time (RE2 syntax has no backreferences, lookarounds, atomic groups or conditionals): {ex.Message}");
        }

        return dotnet;
    }
}
