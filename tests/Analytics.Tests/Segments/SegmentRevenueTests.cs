using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Revenue goals in their currency, counted by hand. Goals: Purchase (EUR), Subscribe (USD), Signup (no currency).
/// Rate: EURUSD 1.25 (one euro is 1.25 dollars). V1: Purchase 10.00 EUR, Signup 99 EUR. V2: Purchase 8.00 USD (= 6.40
/// EUR). V3: Purchase 1,000 JPY (no rate: left out). V4: Subscribe 4.00 EUR (= 5.00 USD). V5: Subscribe 2.50 USD.
/// V6: Purchase without an amount.
/// </summary>
public sealed class SegmentRevenueTests
{
    private static readonly IReadOnlyList<Goal> Goals =
    [
        new() { Id = 1, DisplayName = "Purchase", EventName = "Purchase", Currency = "EUR" },
        new() { Id = 2, DisplayName = "Subscribe", EventName = "Subscribe", Currency = "USD" },
        new() { Id = 3, DisplayName = "Signup", EventName = "Signup" },
    ];

    private static readonly Dictionary<string, decimal> Rates = new(StringComparer.Ordinal) { ["EURUSD"] = 1.25m };

    private static Segment Scenario()
    {
        var rows = new (string Name, decimal? Amount, string? Currency)[]
        {
            ("Purchase", 10.00m, "EUR"), ("Purchase", 8.00m, "USD"), ("Purchase", 1000m, "JPY"),
            ("Subscribe", 4.00m, "EUR"), ("Subscribe", 2.50m, "USD"), ("Purchase", null, null),
        };
        var sessions = rows.Select((_, i) => Session((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 8), TimeSpan.FromMinutes(1), "/", "/", 1, 2, bounce: false));
        var events = rows.SelectMany((r, i) => new[]
        {
            Pageview((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 8), "/"),
            Custom((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 8).AddSeconds(30), r.Name, "/") with { RevenueAmount = r.Amount, RevenueCurrency = r.Currency },
        }).Append(Custom(1, 1, Day.AddHours(8).AddSeconds(40), "Signup", "/", revenue: 99m));
        return Build(Day, sessions, events);
    }

    private static QueryResult Answer(string[] metrics, string[]? dimensions = null, FilterExpression? filter = null) =>
        Run(Scenario(), Ask(metrics, dimensions, filter) with { Goals = Goals, RevenueRates = Rates });

    private static readonly string[] Revenue = [MetricNames.TotalRevenue, MetricNames.AverageRevenue];

    [Fact]
    public void One_revenue_goal_reports_in_its_currency_converting_through_the_rate_table()
    {
        var result = Answer(Revenue, filter: Is(Dimensions.Goal, "Purchase"));

        // 10.00 + 8.00 / 1.25 = 16.40 EUR over the two converted amounts; the JPY one has no rate and is left out.
        Assert.Equal(["=16.4,8.2"], Lines(result));
        Assert.Equal("EUR", result.RevenueCurrency);
        Assert.Equal(["JPY"], result.UnconvertedCurrencies);
        Assert.Null(result.RevenueWarning);
    }

    [Fact]
    public void By_goal_each_revenue_goal_has_its_currency_and_the_others_none()
    {
        var result = Answer([MetricNames.Events, .. Revenue], [Dimensions.Goal]);

        // Subscribe: 4.00 × 1.25 + 2.50 = 7.50 USD; Signup's 99 EUR is no revenue goal's.
        Assert.Equal(["Purchase=4,16.4,8.2", "Subscribe=2,7.5,3.75", "Signup=1,0,0"], Lines(result));
        Assert.Equal(new Dictionary<string, string> { ["Purchase"] = "EUR", ["Subscribe"] = "USD" }, result.GoalCurrencies);
        Assert.Null(result.RevenueCurrency);
    }

    [Fact]
    public void Several_currencies_without_a_goal_dimension_have_no_total()
    {
        var result = Answer(Revenue);

        Assert.Null(result.RevenueCurrency);
        Assert.Equal("no_single_revenue_currency", result.RevenueWarning);
    }

    [Fact]
    public void A_filter_on_goals_without_a_currency_has_no_revenue() =>
        Assert.Equal("no_revenue_goals_matching", Answer(Revenue, filter: Is(Dimensions.Goal, "Signup")).RevenueWarning);

    [Fact]
    public void Sums_are_decimal_and_averages_cut_to_three_places_as_plausible()
    {
        // 0.10 + 0.20 is 0.30000000000000004 in doubles; in millionths it is 0.3. Three amounts 0.10, 0.20, 0 average 0.1;
        // 1 + 1 + 0 average 0.666… → 0.666 (Plausible's Decimal64(3) cuts).
        Assert.Equal("0.3,0.1", Amounts(0.10m, 0.20m, 0m));
        Assert.Equal("2,0.666", Amounts(1m, 1m, 0m));
    }

    [Fact]
    public void Rates_serve_both_ways_and_through_one_shared_currency()
    {
        // EURUSD 1.25 and GBPUSD 1.5: 10 EUR = 10; 10 USD = 8 EUR; 10 GBP = 15 USD = 12 EUR; 10 JPY has no rate.
        var rates = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["EURUSD"] = 1.25m, ["GBPUSD"] = 1.5m };
        var currencies = new[] { "EUR", "USD", "GBP", "JPY" };
        var sessions = currencies.Select((_, i) => Session((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 1), TimeSpan.Zero, "/", "/", 0, 1, bounce: true));
        var events = currencies.Select((c, i) => Custom((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 1), "Purchase", "/") with { RevenueAmount = 10m, RevenueCurrency = c });
        var result = Run(Build(Day, sessions, events), Ask(Revenue) with { Goals = [Goals[0]], RevenueRates = rates });

        Assert.Equal(["=30,10"], Lines(result));
        Assert.Equal(["JPY"], result.UnconvertedCurrencies);
    }

    private static string Amounts(params decimal[] amounts)
    {
        var sessions = amounts.Select((_, i) => Session((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 1), TimeSpan.Zero, "/", "/", 0, 1, bounce: true));
        var events = amounts.Select((a, i) => Custom((ulong)i + 1, (ulong)i + 1, Day.AddHours(i + 1), "Purchase", "/", revenue: a));
        var query = Ask(Revenue) with { Goals = [Goals[0]] };
        return Assert.Single(SegmentRows.Lines(Run(Build(Day, sessions, events), query)))[1..];
    }
}
