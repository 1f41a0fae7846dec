using System.Text.Json;
using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Query;

public sealed class StatsQueryParserTests
{
    private static readonly SiteSettings Site = new()
    {
        Domain = "example.com",
        Timezone = "Europe/Berlin",
        CreatedAt = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>23:30Z on Nov 23 is already Nov 24 in Berlin.</summary>
    private static readonly DateTime Now = new(2026, 11, 23, 23, 30, 0, DateTimeKind.Utc);

    private static AnalyticsQuery Parse(string json, SiteSettings? site = null) =>
        StatsQueryParser.Parse(JsonDocument.Parse(json).RootElement, site ?? Site, Now);

    private static string Fails(string json) =>
        Assert.Throws<QueryValidationException>(() => Parse(json)).Message;

    [Fact]
    public void Parses_a_simple_aggregate_with_defaults()
    {
        var query = Parse("""{"site_id":"example.com","metrics":["visitors","pageviews"],"date_range":"7d"}""");

        Assert.Equal("example.com", query.Site);
        Assert.Equal(["visitors", "pageviews"], query.Metrics);
        Assert.Equal(Granularity.Day, query.Granularity);
        Assert.Equal(new DateTime(2026, 11, 18), query.First);
        Assert.Equal(new DateTime(2026, 11, 24), query.Last);
        Assert.Null(query.Breakdown);
        Assert.Null(query.TimeDimension);
        Assert.Empty(query.Filters);
        Assert.Empty(query.OrderBy);
        Assert.Empty(query.Dimensions);
        Assert.Equal(StatsQueryParser.MaxLimit, query.Limit);
        Assert.Equal(0, query.Offset);
        Assert.Equal("Europe/Berlin", query.Timezone);
    }

    [Fact]
    public void Today_is_the_sites_local_day()
    {
        var utcSite = Site with { Timezone = "Etc/UTC" };
        var newYork = Site with { Timezone = "America/New_York" };

        Assert.Equal(new DateTime(2026, 11, 24), Parse("""{"metrics":["visitors"],"date_range":"day"}""").First);
        Assert.Equal(new DateTime(2026, 11, 23), Parse("""{"metrics":["visitors"],"date_range":"day"}""", utcSite).First);
        Assert.Equal(new DateTime(2026, 11, 23), Parse("""{"metrics":["visitors"],"date_range":"day"}""", newYork).First);
    }

    [Fact]
    public void Date_overrides_today_for_relative_ranges()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":"month","date":"2024-02-15"}""");

        Assert.Equal(new DateTime(2024, 2, 1), query.First);
        Assert.Equal(new DateTime(2024, 2, 15), query.Last);
    }

    [Theory]
    [InlineData("\"2024/02/15\"")]
    [InlineData("20240215")]
    [InlineData("null")]
    public void A_malformed_date_is_rejected(string date) =>
        Assert.Contains("date must be an ISO date", Fails($$"""{"metrics":["visitors"],"date_range":"day","date":{{date}}}"""), StringComparison.Ordinal);

    [Fact]
    public void All_starts_on_the_sites_local_creation_day()
    {
        var site = Site with { CreatedAt = new DateTime(2025, 3, 1, 23, 30, 0, DateTimeKind.Utc) };

        Assert.Equal(new DateTime(2025, 3, 2), Parse("""{"metrics":["visitors"],"date_range":"all"}""", site).First);
    }

    [Fact]
    public void Time_on_a_day_range_means_hours_and_on_longer_ranges_days()
    {
        var day = Parse("""{"metrics":["visitors"],"date_range":"day","dimensions":["time"]}""");
        var week = Parse("""{"metrics":["visitors"],"date_range":"7d","dimensions":["time"]}""");
        var pair = Parse("""{"metrics":["visitors"],"date_range":["2024-01-01","2024-01-01"],"dimensions":["time"]}""");

        Assert.Equal(("time:hour", Granularity.Hour), (day.TimeDimension, day.Granularity));
        Assert.Equal(["time:hour"], day.Dimensions);
        Assert.Equal(new DateTime(2026, 11, 23, 23, 0, 0, DateTimeKind.Utc), day.First);
        Assert.Equal(new DateTime(2026, 11, 24, 22, 0, 0, DateTimeKind.Utc), day.Last);
        Assert.Equal(("time:day", Granularity.Day), (week.TimeDimension, week.Granularity));
        Assert.Equal(["time:day"], week.Dimensions);
        Assert.Equal(("time:day", Granularity.Day), (pair.TimeDimension, pair.Granularity));
    }

    [Fact]
    public void Explicit_time_hour_gives_utc_hour_buckets_over_the_local_days()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":["2024-03-31","2024-03-31"],"dimensions":["time:hour"]}""");

        Assert.Equal(Granularity.Hour, query.Granularity);
        Assert.Equal(new DateTime(2024, 3, 30, 23, 0, 0, DateTimeKind.Utc), query.First);
        Assert.Equal(new DateTime(2024, 3, 31, 21, 0, 0, DateTimeKind.Utc), query.Last);
    }

    [Fact]
    public void A_breakdown_with_a_time_dimension_keeps_the_callers_order()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":"7d","dimensions":["visit:source","time"]}""");

        Assert.Equal("visit:source", query.Breakdown);
        Assert.Equal("time:day", query.TimeDimension);
        Assert.Equal(["visit:source", "time:day"], query.Dimensions);
    }

    [Fact]
    public void Event_name_is_read_as_the_goal_dimension()
    {
        var query = Parse("""
            {"metrics":["events"],"date_range":"7d","dimensions":["event:name"],
             "filters":[["is","event:name",["Signup"]]],"order_by":[["event:name","asc"]]}
            """);

        Assert.Equal(Dimensions.Goal, query.Breakdown);
        Assert.Equal([Dimensions.Goal], query.Dimensions);
        Assert.Equal(new QueryFilter("is", Dimensions.Goal, ["Signup"]), Assert.Single(query.Filters), new FilterComparer());
        Assert.Equal(new QueryOrder(Dimensions.Goal, Descending: false), Assert.Single(query.OrderBy));
    }

    [Fact]
    public void Filters_order_and_pagination_are_carried_over()
    {
        var query = Parse("""
            {"site_id":"example.com","metrics":["visitors","pageviews"],"date_range":"30d","dimensions":["event:page"],
             "filters":[["contains","event:page",["/blog"]],["is_not","event:page",["/blog/draft","/blog/tmp"]]],
             "order_by":[["pageviews","desc"],["event:page","asc"]],
             "pagination":{"limit":25,"offset":50}}
            """);

        Assert.Equal(
            [new QueryFilter("contains", "event:page", ["/blog"]), new QueryFilter("is_not", "event:page", ["/blog/draft", "/blog/tmp"])],
            query.Filters,
            new FilterComparer());
        Assert.Equal([new QueryOrder("pageviews", true), new QueryOrder("event:page", false)], query.OrderBy);
        Assert.Equal((25, 50), (query.Limit, query.Offset));
    }

    [Fact]
    public void A_filter_without_a_breakdown_scopes_the_metrics()
    {
        var query = Parse("""{"metrics":["visitors","bounce_rate"],"date_range":"7d","filters":[["is","visit:country",["DE"]]]}""");

        Assert.Null(query.Breakdown);
        Assert.Equal("visit:country", Assert.Single(query.Filters).Dimension);
        Assert.Contains("not available with 'event:page'",
            Fails("""{"metrics":["bounce_rate"],"date_range":"7d","filters":[["is","event:page",["/"]]]}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Ordering_by_time_orders_by_the_resolved_time_dimension()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":"day","dimensions":["time"],"order_by":[["time","desc"]]}""");

        Assert.Equal([new QueryOrder("time:hour", Descending: true)], query.OrderBy);
        Assert.Contains("time:hour", query.Dimensions);
    }

    [Theory]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["time","asc"]]}""")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["pageviews","asc"]]}""")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["visit:os"],"order_by":[["visit:browser","asc"]]}""")]
    public void Order_by_must_name_a_metric_or_dimension_of_the_query(string json) =>
        Assert.Contains("must be one of the query's metrics or dimensions", Fails(json), StringComparison.Ordinal);

    [Fact]
    public void ReadSiteId_reads_the_domain()
    {
        Assert.Equal("example.com", StatsQueryParser.ReadSiteId(JsonDocument.Parse("""{"site_id":"example.com"}""").RootElement));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"site_id":""}""")]
    [InlineData("""{"site_id":42}""")]
    [InlineData("""{"site_id":null}""")]
    [InlineData("[]")]
    public void ReadSiteId_requires_a_non_empty_string(string json)
    {
        var error = Assert.Throws<QueryValidationException>(() => StatsQueryParser.ReadSiteId(JsonDocument.Parse(json).RootElement));

        Assert.Contains("site_id is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"date_range":"7d"}""", "metrics is required")]
    [InlineData("""{"metrics":null,"date_range":"7d"}""", "metrics is required")]
    [InlineData("""{"metrics":[],"date_range":"7d"}""", "at least one metric")]
    [InlineData("""{"metrics":"visitors","date_range":"7d"}""", "metrics must be an array of strings")]
    [InlineData("""{"metrics":["visitors",1],"date_range":"7d"}""", "metrics must be an array of strings")]
    [InlineData("""{"metrics":["visitors"]}""", "date_range is required")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":"visit:os"}""", "dimensions must be an array of strings")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["time","time:day"]}""", "At most one time dimension (time, time:hour, time:day)")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["visit:os","visit:browser"]}""", "At most one non-time dimension")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":{}}""", "filters must be an array of [operator, dimension, [values]]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:os"]]}""", "Each filter is [operator, dimension, [one or more string values]]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:os",[]]]}""", "Each filter is [operator, dimension, [one or more string values]]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:os","Linux"]]}""", "Each filter is [operator, dimension, [one or more string values]]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:os",[1]]]}""", "Each filter is [operator, dimension, [one or more string values]]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["matches","visit:os",["Lin.*"]]]}""", "use is, is_not or contains")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["and",[["is","visit:os",["Linux"]]]]]}""", "Each filter is")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:os",["Linux"]],["is","visit:browser",["Firefox"]]]}""", "Filters must all be on one dimension")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["visit:os"],"filters":[["is","visit:browser",["Firefox"]]]}""", "on the breakdown dimension")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":{}}""", "order_by must be an array")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["visitors","up"]]}""", "Each order_by entry is [metric or dimension, \"asc\" | \"desc\"]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["visitors"]]}""", "Each order_by entry is")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":[]}""", "pagination must be an object with limit and offset")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"limit":0}}""", "pagination.limit must be an integer from 1 to 10000")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"limit":10001}}""", "pagination.limit must be an integer from 1 to 10000")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"limit":"10"}}""", "pagination.limit must be an integer")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"offset":-1}}""", "pagination.offset must be an integer from 0")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"offset":1.5}}""", "pagination.offset must be an integer from 0")]
    [InlineData("""{"metrics":["visitors"],"date_range":"fortnight"}""", "Unknown date_range 'fortnight'; use one of day, 7d")]
    [InlineData("""{"metrics":["visitors"],"date_range":"91d","dimensions":["time:hour"]}""", "Hourly results cover at most 31 days")]
    public void Invalid_queries_say_what_is_supported(string json, string expected) =>
        Assert.Contains(expected, Fails(json), StringComparison.Ordinal);

    [Fact]
    public void Unknown_metrics_list_the_supported_ones()
    {
        var message = Fails("""{"metrics":["visitors","conversion_rate"],"date_range":"7d"}""");

        Assert.Contains("Unknown metric 'conversion_rate'", message, StringComparison.Ordinal);
        Assert.All(MetricNames.All, m => Assert.Contains(m, message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("event:props:plan")]
    [InlineData("visit:city")]
    [InlineData("time:week")]
    public void Unknown_dimensions_list_the_supported_ones(string dimension)
    {
        var message = Fails($$"""{"metrics":["visitors"],"date_range":"7d","dimensions":["{{dimension}}"]}""");

        Assert.Contains($"Unknown dimension '{dimension}'", message, StringComparison.Ordinal);
        Assert.All(Dimensions.All, d => Assert.Contains(d, message, StringComparison.Ordinal));
        Assert.Contains("time:hour", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unfilterable_dimensions_list_the_filterable_ones()
    {
        var message = Fails("""{"metrics":["visitors"],"date_range":"7d","filters":[["is","visit:city",["Berlin"]]]}""");

        Assert.Contains("Cannot filter on 'visit:city'", message, StringComparison.Ordinal);
        Assert.All(Dimensions.All, d => Assert.Contains(d, message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Dimensions.Page, "bounce_rate")]
    [InlineData(Dimensions.Goal, "visits")]
    [InlineData(Dimensions.ExitPage, "pageviews")]
    [InlineData(Dimensions.Source, "events")]
    public void Metrics_a_breakdown_cannot_answer_are_rejected_with_the_available_ones(string dimension, string metric)
    {
        var message = Fails($$"""{"metrics":["visitors","{{metric}}"],"date_range":"7d","dimensions":["{{dimension}}"]}""");

        Assert.Contains($"Metric '{metric}' is not available with '{dimension}'", message, StringComparison.Ordinal);
        Assert.All(MetricNames.SupportedFor(dimension), m => Assert.Contains(m, message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_dimension_accepts_its_supported_metrics()
    {
        foreach (var dimension in Dimensions.All)
        {
            var metrics = JsonSerializer.Serialize(MetricNames.SupportedFor(dimension));
            var query = Parse($$"""{"metrics":{{metrics}},"date_range":"7d","dimensions":["{{dimension}}"]}""");

            Assert.Equal(dimension, query.Breakdown);
            Assert.Equal(MetricNames.SupportedFor(dimension), query.Metrics);
        }
    }

    [Fact]
    public void Without_a_breakdown_every_metric_is_available()
    {
        var metrics = JsonSerializer.Serialize(MetricNames.All);

        Assert.Equal(MetricNames.All, Parse($$"""{"metrics":{{metrics}},"date_range":"7d"}""").Metrics);
    }

    [Fact]
    public void Null_optional_sections_mean_absent()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":"7d","dimensions":null,"filters":null,"order_by":null,"pagination":null}""");

        Assert.Empty(query.Dimensions);
        Assert.Empty(query.Filters);
        Assert.Empty(query.OrderBy);
        Assert.Equal(StatsQueryParser.MaxLimit, query.Limit);
    }

    private sealed class FilterComparer : IEqualityComparer<QueryFilter>
    {
        public bool Equals(QueryFilter? x, QueryFilter? y) =>
            x is not null && y is not null && x.Operator == y.Operator && x.Dimension == y.Dimension && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(QueryFilter obj) => HashCode.Combine(obj.Operator, obj.Dimension);
    }
}
