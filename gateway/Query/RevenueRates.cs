using System.Text.RegularExpressions;

namespace Analytics.Gateway.Query;

/// <summary>What a rate table must be (configured or a site's): pairs of two ISO 4217 codes ("EURUSD"), each above zero.</summary>
public static partial class RevenueRates
{
    /// <summary>The first wrong entry, in the API's words, or null.</summary>
    public static string? Problem(IReadOnlyDictionary<string, decimal> rates) =>
        rates.Where(r => !Pair().IsMatch(r.Key) || r.Key[..3] == r.Key[3..] || r.Value <= 0)
            .Select(r => $"revenue rate {r.Key} = {r.Value}: a rate is keyed by two different currency codes (\"EURUSD\": the price of one euro in dollars) and above zero.")
            .FirstOrDefault();

    /// <summary>The configured rates with the site's own over them.</summary>
    public static IReadOnlyDictionary<string, decimal> For(IReadOnlyDictionary<string, decimal> site, IReadOnlyDictionary<string, decimal> configured)
    {
        if (site.Count == 0)
        {
            return configured;
        }

        var merged = new Dictionary<string, decimal>(configured, StringComparer.Ordinal);
        foreach (var (pair, rate) in site)
        {
            merged[pair] = rate;
        }

        return merged;
    }

    [GeneratedRegex("^[A-Z]{6}$")]
    private static partial Regex Pair();
}
