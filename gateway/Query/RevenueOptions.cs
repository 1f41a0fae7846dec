namespace Analytics.Gateway.Query;

/// <summary>
/// Exchange rates for revenue metrics (<c>Analytics:Revenue:Rates</c>): a revenue goal reports in its own currency, and
/// an amount sent in another currency is converted through these, at query time, without any network look-up. Keys are
/// currency pairs as the market writes them: <c>"EURUSD": 1.0832</c> means one euro costs 1.0832 dollars; a pair serves
/// both ways, and two pairs sharing a currency serve for the third. A site's own rates (its settings) win over these.
/// </summary>
public sealed class RevenueOptions
{
    public const string SectionName = "Analytics:Revenue";

    public Dictionary<string, decimal> Rates { get; set; } = new(StringComparer.Ordinal);
}
