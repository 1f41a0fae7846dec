namespace Analytics.GrainInterfaces.Query;

[GenerateSerializer, Immutable, Alias("QueryResult")]
public sealed record QueryResult(
    [property: Id(0)] IReadOnlyList<QueryResultRow> Rows,
    [property: Id(1)] int TotalRows)
{
    /// <summary>Currencies of revenue amounts left out of the revenue metrics: no rate converts them to their goal's currency.</summary>
    [Id(2)] public IReadOnlyList<string> UnconvertedCurrencies { get; init; } = [];

    /// <summary>The currency of every row's revenue metrics, when the selected revenue goals share one.</summary>
    [Id(3)] public string? RevenueCurrency { get; init; }

    /// <summary>With an event:goal dimension: the currency of each revenue goal's row (other rows have no revenue).</summary>
    [Id(4)] public IReadOnlyDictionary<string, string> GoalCurrencies { get; init; } = new Dictionary<string, string>();

    /// <summary>Why revenue metrics are null (Plausible's codes: no_revenue_goals_matching, no_single_revenue_currency).</summary>
    [Id(5)] public string? RevenueWarning { get; init; }
}

[GenerateSerializer, Immutable, Alias("QueryResultRow")]
public sealed record QueryResultRow(
    [property: Id(0)] IReadOnlyList<string> Dimensions,
    [property: Id(1)] IReadOnlyList<double> Metrics);
