using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Query;

/// <summary>Plausible's v1 query strings, translated into v2 bodies and read by the v2 parser.</summary>
public sealed class StatsV1TranslatorTests
{
    private static readonly SiteSettings Site = new() { Domain = "v1.test", Timezone = "Etc/UTC", CreatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
    private static readonly DateTime Now = new(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);
    private static readonly StatsV1Request Base = new() { SiteId = "v1.test", Period = "7d" };

    private static StatsRequest Read(Func<StatsV1Request, System.Text.Json.JsonDocument> translate, StatsV1Request request)
    {
        using var body = translate(request);
        return StatsQueryParser.Parse(body.RootElement, Site, Now);
    }

    private static string Filter(string filters) => FilterText.Of(Read(StatsV1Translator.Aggregate, Base with { Filters = filters }).Query.Filter);

    [Fact]
    public void Filter_operators_alternatives_and_conjunctions()
    {
        Assert.Equal("and(Is event:page [/a|/b])", Filter("event:page==/a|/b"));
        Assert.Equal("and(IsNot visit:source [Google])", Filter("visit:source!=Google"));
        Assert.Equal("and(Contains event:page [blog] i)", Filter("event:page~blog"));
        Assert.Equal("and(ContainsNot visit:referrer [spam|ads] i)", Filter("visit:referrer!~spam|ads"));
        Assert.Equal("and(Is visit:browser [Chrome], Is event:props:plan [pro], Contains visit:utm_campaign [spring] i)",
            Filter("visit:browser==Chrome;event:props:plan==pro;visit:utm_campaign~spring"));
    }

    [Fact]
    public void Wildcards_in_is_and_is_not_become_anchored_patterns()
    {
        Assert.Equal("and(Matches event:page [^/blog/[^/]*$|^/docs/.*$])", Filter("event:page==/blog/*|/docs/**"));
        Assert.Equal("and(MatchesNot event:page [^/a\\.b/.*$])", Filter("event:page!=/a.b/**"));
    }

    [Theory]
    [InlineData("event:page", "Filter 'event:page' must be dimension==value")]
    [InlineData("visit:planet==Mars", "Unknown filter dimension 'visit:planet'")]
    public void Bad_filters_are_400s(string filters, string message) =>
        Assert.Contains(message, Assert.Throws<QueryValidationException>(() => Filter(filters)).Message, StringComparison.Ordinal);

    [Fact]
    public void Breakdown_by_a_custom_property_names_rows_by_its_key()
    {
        var request = Read(StatsV1Translator.Breakdown, Base with { Property = "event:props:plan", Limit = "5", Page = "3" });

        Assert.Equal(["event:props:plan"], request.Query.Dimensions);
        Assert.Equal((5, 10), (request.Query.Limit, request.Query.Offset));
        Assert.Equal("plan", StatsV1Translator.RowKey("event:props:plan"));
        Assert.Equal("source", StatsV1Translator.RowKey("visit:source"));
        Assert.Equal("name", StatsV1Translator.RowKey("event:name"));
    }

    [Theory]
    [InlineData("day", null, "time:hour")]
    [InlineData("7d", null, "time:day")]
    [InlineData("6mo", null, "time:month")]
    [InlineData("12mo", null, "time:month")]
    [InlineData("30d", "date", "time:day")]
    [InlineData("30d", "week", "time:week")]
    [InlineData("12mo", "month", "time:month")]
    [InlineData("day", "hour", "time:hour")]
    public void Timeseries_intervals(string period, string? interval, string time)
    {
        var query = Read(StatsV1Translator.Timeseries, Base with { Period = period, Interval = interval }).Query;

        Assert.Equal([time], query.Dimensions);
        Assert.Equal(new QueryOrder(time, Descending: false), Assert.Single(query.OrderBy));
    }

    [Fact]
    public void Twelve_months_by_month_lists_twelve_buckets()
    {
        var query = Read(StatsV1Translator.Timeseries, Base with { Period = "12mo", Date = "2026-06-15" }).Query;

        Assert.Equal(12, TimeBuckets.Labels(query).Count);
        Assert.Equal("2025-07-01", TimeBuckets.Labels(query)[0]);
    }

    [Fact]
    public void Compare_previous_period_asks_for_a_comparison()
    {
        var request = Read(StatsV1Translator.Aggregate, Base with { Compare = "previous_period", Date = "2026-06-15" });

        Assert.Equal(["2026-06-02", "2026-06-08"], request.ComparisonDateRange);
        Assert.Null(Read(StatsV1Translator.Aggregate, Base).Comparison);
        Assert.Contains("compare 'last_year'", Assert.Throws<QueryValidationException>(() => StatsV1Translator.Aggregate(Base with { Compare = "last_year" })).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_interval_is_a_400() =>
        Assert.Contains("interval 'minute' is not supported; use hour, date, week or month",
            Assert.Throws<QueryValidationException>(() => StatsV1Translator.Timeseries(Base with { Interval = "minute" })).Message, StringComparison.Ordinal);
}
