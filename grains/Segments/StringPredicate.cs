using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// A filter leaf's string test, evaluated once per dictionary entry into a table the row loop indexes by code.
/// Regexes run on .NET's non-backtracking engine (linear in the input, like RE2).
/// </summary>
internal static class StringPredicate
{
    /// <summary>Longest pattern accepted: the parser bounds it too; the engine's construction cost grows with it.</summary>
    public const int MaxPatternLength = 1024;

    /// <summary>Compiled patterns kept between scans, so that at most this many are held.</summary>
    private const int MaxCachedRegexes = 256;

    /// <summary>
    /// A query scans a segment per day and asks the same patterns of each: constructing the non-backtracking engine (and
    /// learning its automaton) once per pattern instead of once per segment took a 30-day regex question from hundreds
    /// of milliseconds to a few. Regex instances are safe to share between threads.
    /// </summary>
    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options), Regex> Regexes = new();

    /// <summary>
    /// Entry c of the result says whether <paramref name="dictionary"/>[c] passes; the extra last entry says whether a
    /// null row (read as <paramref name="nullValue"/>) passes.
    /// </summary>
    public static bool[] Table(DimensionFilter leaf, IReadOnlyList<string> dictionary, string nullValue)
    {
        var test = Compile(leaf);
        var table = new bool[dictionary.Count + 1];
        for (var c = 0; c < dictionary.Count; c++)
        {
            table[c] = test(dictionary[c]);
        }

        table[dictionary.Count] = test(nullValue);
        return table;
    }

    public static Func<string, bool> Compile(DimensionFilter leaf)
    {
        var comparison = leaf.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var values = leaf.Values.ToArray();
        // Static tests, not Array.Exists with a lambda: that made a closure per tested string (a dictionary entry per segment).
        Func<string, bool> any = leaf.Operator switch
        {
            FilterOperator.Is or FilterOperator.IsNot => s => Exists(values, (s, comparison), static (v, x) => string.Equals(x.s, v, x.comparison)),
            FilterOperator.Contains or FilterOperator.ContainsNot => s => Exists(values, (s, comparison), static (v, x) => x.s.Contains(v, x.comparison)),
            FilterOperator.Matches or FilterOperator.MatchesNot => AnyRegex(values, leaf.CaseSensitive),
            _ => throw new ArgumentException($"Unknown filter operator {leaf.Operator}."),
        };
        return leaf.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot ? s => !any(s) : any;
    }

    /// <summary>Whether <paramref name="test"/> holds for one of <paramref name="items"/>, given <paramref name="state"/> rather than a closure.</summary>
    private static bool Exists<T, TState>(T[] items, TState state, Func<T, TState, bool> test)
    {
        foreach (var item in items)
        {
            if (test(item, state))
            {
                return true;
            }
        }

        return false;
    }

    private static Func<string, bool> AnyRegex(string[] patterns, bool caseSensitive)
    {
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        var regexes = patterns.Select(p =>
        {
            if (p.Length > MaxPatternLength)
            {
                throw new ArgumentException($"A regular expression is limited to {MaxPatternLength} characters.");
            }

            if (Regexes.TryGetValue((p, options), out var known))
            {
                return known;
            }

            try
            {
                if (Regexes.Count >= MaxCachedRegexes)
                {
                    Regexes.Clear();
                }

                return Regexes.GetOrAdd((p, options), key => new Regex(key.Pattern, key.Options));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Invalid regular expression '{p}': {e.Message}", e);
            }
            catch (NotSupportedException e)
            {
                throw new ArgumentException($"Unsupported regular expression '{p}': {e.Message}", e);
            }
        }).ToArray();
        return s => Exists(regexes, s, static (regex, s) => regex.IsMatch(s));
    }
}
