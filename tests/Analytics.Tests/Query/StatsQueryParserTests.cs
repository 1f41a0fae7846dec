using System.Diagnostics;
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

    private static StatsRequest Request(string json, SiteSettings? site = null) =>
        StatsQueryParser.Parse(JsonDocument.Parse(json).RootElement, site ?? Site, Now);

    private static StatsQuery Parse(string json, SiteSettings? site = null) => Request(json, site).Query;

    /// <summary>A body with the given members after "metrics":["visitors"],"date_range":"7d".</summary>
    private static StatsQuery With(string members) => Parse($$"""{"metrics":["visitors"],"date_range":"7d",{{members}}}""");

    private static string Fails(string json) =>
        Assert.Throws<QueryValidationException>(() => Request(json)).Message;

    private static string FailsWith(string members) => Fails($$"""{"metrics":["visitors"],"date_range":"7d",{{members}}}""");

    private static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void Parses_a_simple_aggregate_with_defaults()
    {
        var request = Request("""{"site_id":"example.com","metrics":["visitors","pageviews"],"date_range":"7d"}""");
        var query = request.Query;

        Assert.Equal("example.com", query.Site);
        Assert.Equal(["visitors", "pageviews"], query.Metrics);
        // Nov 18 to Nov 24 in Berlin (UTC+1): from local midnight to the midnight after the last day.
        Assert.Equal((Utc(2026, 11, 17, 23), Utc(2026, 11, 24, 23)), (query.FromUtc, query.ToUtc));
        Assert.Equal(["2026-11-18", "2026-11-24"], request.DateRange);
        Assert.Null(query.Time);
        Assert.Null(query.Filter);
        Assert.Empty(query.OrderBy);
        Assert.Empty(query.Dimensions);
        Assert.Equal(StatsQueryParser.MaxLimit, query.Limit);
        Assert.Equal(0, query.Offset);
        Assert.Equal("Europe/Berlin", query.Timezone);
        Assert.False(request.TimeLabels);
        Assert.Null(request.Comparison);
    }

    [Fact]
    public void Today_is_the_sites_local_day()
    {
        Assert.Equal(Utc(2026, 11, 23, 23), Parse("""{"metrics":["visitors"],"date_range":"day"}""").FromUtc);
        Assert.Equal(Utc(2026, 11, 23), Parse("""{"metrics":["visitors"],"date_range":"day"}""", Site with { Timezone = "Etc/UTC" }).FromUtc);
        Assert.Equal(Utc(2026, 11, 23, 5), Parse("""{"metrics":["visitors"],"date_range":"day"}""", Site with { Timezone = "America/New_York" }).FromUtc);
    }

    [Fact]
    public void Date_overrides_today_for_relative_ranges()
    {
        var request = Request("""{"metrics":["visitors"],"date_range":"month","date":"2024-02-15"}""");

        Assert.Equal(["2024-02-01", "2024-02-15"], request.DateRange);
        Assert.Equal((Utc(2024, 1, 31, 23), Utc(2024, 2, 15, 23)), (request.Query.FromUtc, request.Query.ToUtc));
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

        Assert.Equal("2025-03-02", Request("""{"metrics":["visitors"],"date_range":"all"}""", site).DateRange[0]);
    }

    [Fact]
    public void Time_on_a_day_range_means_hours_and_on_longer_ranges_days()
    {
        var day = Request("""{"metrics":["visitors"],"date_range":"day","dimensions":["time"]}""");
        var week = Parse("""{"metrics":["visitors"],"date_range":"7d","dimensions":["time"]}""");

        Assert.Equal(["time:hour"], day.Query.Dimensions);
        Assert.Equal(TimeGranularity.Hour, day.Query.Time);
        Assert.Equal((Utc(2026, 11, 23, 23), Utc(2026, 11, 24, 23)), (day.Query.FromUtc, day.Query.ToUtc));
        Assert.Equal(["2026-11-24T00:00:00+01:00", "2026-11-25T00:00:00+01:00"], day.DateRange);
        Assert.Equal(["time:day"], week.Dimensions);
        Assert.Equal(TimeGranularity.Day, week.Time);
    }

    [Fact]
    public void Time_hour_over_a_spring_forward_day_spans_its_23_hours()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":["2024-03-31","2024-03-31"],"dimensions":["time:hour"]}""");

        Assert.Equal((Utc(2024, 3, 30, 23), Utc(2024, 3, 31, 22)), (query.FromUtc, query.ToUtc));
        Assert.Equal(23, TimeBuckets.Labels(query).Count);
    }

    [Fact]
    public void Datetime_ranges_are_taken_as_given()
    {
        var request = Request("""{"metrics":["visitors"],"date_range":["2024-01-31T10:15:00Z","2024-01-31T12:45:00+01:00"]}""");

        Assert.Equal((Utc(2024, 1, 31, 10, 15), Utc(2024, 1, 31, 11, 45)), (request.Query.FromUtc, request.Query.ToUtc));
        Assert.Equal(["2024-01-31T11:15:00+01:00", "2024-01-31T12:45:00+01:00"], request.DateRange);
    }

    [Fact]
    public void Several_dimensions_and_one_time_dimension_keep_the_callers_order()
    {
        var query = With("""
            "dimensions":["visit:source","time:week","event:page","event:props:plan"]
            """);

        Assert.Equal(["visit:source", "time:week", "event:page", "event:props:plan"], query.Dimensions);
        Assert.Equal(TimeGranularity.Week, query.Time);
        Assert.Equal(TimeGranularity.Month, With("\"dimensions\":[\"time:month\"]").Time);
    }

    [Fact]
    public void Event_name_is_its_own_dimension_beside_the_configured_goals()
    {
        var query = Parse("""
            {"metrics":["events"],"date_range":"7d","dimensions":["event:name"],
             "filters":[["is","event:name",["Signup"]]],"order_by":[["event:name","asc"]]}
            """);

        Assert.Equal([Dimensions.Name], query.Dimensions);
        Assert.Equal("and(Is event:name [Signup])", FilterText.Of(query.Filter));
        Assert.Equal(new QueryOrder(Dimensions.Name, Descending: false), Assert.Single(query.OrderBy));
        Assert.Equal([Dimensions.Name, Dimensions.Goal], With("\"dimensions\":[\"event:name\",\"event:goal\"]").Dimensions);
    }

    [Fact]
    public void Top_level_filters_are_their_conjunction_and_nest_with_and_or_not_and_has_done()
    {
        var query = With("""
            "filters":[
              ["is","visit:source",["Google","Bing"]],
              ["or",[["contains","event:page",["/blog"]],["not",["matches","event:page",["^/docs/(?P<rest>.*)$"]]]]],
              ["has_done",["is","event:goal",["Signup"]]],
              ["has_not_done",["and",[["is","event:name",["Purchase"]],["is_not","event:props:plan",["free"]]]]],
              ["contains_not","visit:utm_campaign",["Spring"],{"case_sensitive":false}],
              ["matches_not","visit:screen",["^Desk"]]
            ]
            """);

        Assert.Equal(
            "and(Is visit:source [Google|Bing], or(Contains event:page [/blog], not(Matches event:page [^/docs/(?<rest>.*)$])), "
            + "has_done(Is event:goal [Signup]), has_not_done(and(Is event:name [Purchase], IsNot event:props:plan [free])), "
            + "ContainsNot visit:utm_campaign [Spring] i, MatchesNot visit:screen [^Desk])",
            FilterText.Of(query.Filter));
    }

    [Theory]
    [InlineData("is", FilterOperator.Is)]
    [InlineData("is_not", FilterOperator.IsNot)]
    [InlineData("contains", FilterOperator.Contains)]
    [InlineData("contains_not", FilterOperator.ContainsNot)]
    [InlineData("matches", FilterOperator.Matches)]
    [InlineData("matches_not", FilterOperator.MatchesNot)]
    public void Every_operator_reads_with_and_without_the_case_modifier(string op, FilterOperator expected)
    {
        DimensionFilter Leaf(string modifiers) => Assert.IsType<DimensionFilter>(Assert.Single(Assert.IsType<AndFilter>(
            With("\"filters\":[[\"" + op + "\",\"visit:browser\",[\"Fire\"]" + modifiers + "]]").Filter).Operands));

        Assert.Equal((expected, true), (Leaf("").Operator, Leaf("").CaseSensitive));
        Assert.Equal((expected, false), (Leaf(",{\"case_sensitive\":false}").Operator, Leaf(",{\"case_sensitive\":false}").CaseSensitive));
        Assert.True(Leaf(",{\"case_sensitive\":true}").CaseSensitive);
    }

    [Fact]
    public void Integer_values_read_as_their_decimal_text()
    {
        Assert.Equal("and(Is visit:browser_version [120|121])", FilterText.Of(With("""
            "filters":[["is","visit:browser_version",[120,"121"]]]
            """).Filter));
    }

    public static TheoryData<string> SupportedDimensions => [.. QueryDimensions.Supported.Where(d => d != Dimensions.Name), "event:props:plan", "event:props:a key with spaces"];

    [Theory]
    [MemberData(nameof(SupportedDimensions))]
    public void Every_dimension_is_a_breakdown_a_filter_and_an_order(string dimension)
    {
        var query = Parse($$"""
            {"metrics":["visitors"],"date_range":"7d","dimensions":["{{dimension}}"],"filters":[["is","{{dimension}}",["x"]]],"order_by":[["{{dimension}}","desc"]]}
            """);

        Assert.Equal([dimension], query.Dimensions);
        Assert.Equal($"and(Is {dimension} [x])", FilterText.Of(query.Filter));
        Assert.Equal(new QueryOrder(dimension, Descending: true), Assert.Single(query.OrderBy));
    }

    [Theory]
    [InlineData("visit:country_name")]
    [InlineData("visit:region_name")]
    [InlineData("visit:city_name")]
    [InlineData("visit:exit_page_hostname")]
    public void Plausibles_dimensions_not_answered_yet_say_so(string dimension)
    {
        Assert.Contains($"The dimension '{dimension}' is not supported yet", FailsWith($"\"dimensions\":[\"{dimension}\"]"), StringComparison.Ordinal);
        Assert.Contains($"The filter dimension '{dimension}' is not supported yet", FailsWith($"\"filters\":[[\"is\",\"{dimension}\",[\"x\"]]]"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_metric_is_accepted_where_Plausible_accepts_it_and_refused_elsewhere_with_its_message()
    {
        var metrics = JsonSerializer.Serialize(StatsQueryParser.Metrics.Where(m => m != MetricNames.ExitRate));
        var query = Parse($$"""{"metrics":{{metrics}},"date_range":"7d","dimensions":["event:goal","visit:source"]}""");

        Assert.Equal(StatsQueryParser.Metrics.Where(m => m != MetricNames.ExitRate), query.Metrics);
        Assert.Contains(MetricNames.Percentage, query.Metrics);
        Assert.Contains(MetricNames.TotalRevenue, query.Metrics);
        Assert.Contains(MetricNames.AverageRevenue, query.Metrics);
        foreach (var metric in new[] { "conversion_rate", "group_conversion_rate" })
        {
            Assert.Equal(
                $"Metric `{metric}` can only be queried with event:goal filters or dimensions.",
                Fails($$"""{"metrics":["{{metric}}"],"date_range":"7d","dimensions":["event:page"],"filters":[["has_done",["is","event:goal",["Signup"]]]]}"""));
            Assert.Equal([metric], Parse($$"""{"metrics":["{{metric}}"],"date_range":"7d","filters":[["is","event:goal",["Signup"]]]}""").Metrics);
        }

        Assert.Equal([MetricNames.ExitRate], Parse("""{"metrics":["exit_rate"],"date_range":"7d","dimensions":["visit:exit_page"],"filters":[["is","visit:source",["Google"]]]}""").Metrics);
        Assert.Equal(
            "Metric `exit_rate` requires a `\"visit:exit_page\"` or `\"event:page\"` dimension. No other dimensions are allowed.",
            Fails("""{"metrics":["exit_rate"],"date_range":"7d","dimensions":["visit:exit_page","visit:source"]}"""));
        Assert.Equal(
            "Metric `exit_rate` cannot be queried when filtering on event dimensions.",
            Fails("""{"metrics":["exit_rate"],"date_range":"7d","dimensions":["visit:exit_page"],"filters":[["is","event:page",["/"]]]}"""));

        var unknown = Fails("""{"metrics":["visitors","revenue"],"date_range":"7d"}""");
        Assert.Contains("Unknown metric 'revenue'", unknown, StringComparison.Ordinal);
        Assert.All(StatsQueryParser.Metrics, m => Assert.Contains(m, unknown, StringComparison.Ordinal));
    }

    [Fact]
    public void Include_time_labels_and_total_rows_and_imports()
    {
        var request = Request("""{"metrics":["visitors"],"date_range":"7d","dimensions":["time:day"],"include":{"time_labels":true,"total_rows":true,"imports":true}}""");

        Assert.True(request.TimeLabels);
        Assert.Equal(["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"], TimeBuckets.Labels(request.Query));
        Assert.False(Request("""{"metrics":["visitors"],"date_range":"7d","include":{"total_rows":false}}""").TimeLabels);
        Assert.False(Request("""{"metrics":["visitors"],"date_range":"7d","include":null}""").TimeLabels);
    }

    [Fact]
    public void Comparison_with_the_previous_period_covers_as_many_days_right_before()
    {
        var request = Request("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"previous_period"}}}""");

        Assert.Equal(["2026-11-11", "2026-11-17"], request.ComparisonDateRange);
        Assert.Equal((Utc(2026, 11, 10, 23), Utc(2026, 11, 17, 23)), (request.Comparison!.FromUtc, request.Comparison.ToUtc));
        Assert.Equal(request.Query with { FromUtc = request.Comparison.FromUtc, ToUtc = request.Comparison.ToUtc }, request.Comparison);
    }

    [Fact]
    public void Comparison_year_over_year_and_custom()
    {
        var yoy = Request("""{"metrics":["visitors"],"date_range":["2024-02-01","2024-02-29"],"include":{"comparisons":{"mode":"year_over_year"}}}""");
        var custom = Request("""
            {"metrics":["visitors"],"date_range":"7d","dimensions":["visit:source"],"pagination":{"limit":5,"offset":5},
             "include":{"comparisons":{"mode":"custom","date_range":["2026-01-01","2026-01-07"]}}}
            """);
        var instants = Request("""{"metrics":["visitors"],"date_range":["2024-01-31T10:00:00Z","2024-01-31T12:00:00Z"],"include":{"comparisons":{"mode":"previous_period"}}}""");

        Assert.Equal(["2023-02-01", "2023-02-28"], yoy.ComparisonDateRange);
        Assert.Equal(["2026-01-01", "2026-01-07"], custom.ComparisonDateRange);
        // The comparison has all its rows: the page of the main answer may match any of them.
        Assert.Equal((StatsQueryParser.MaxLimit, 0), (custom.Comparison!.Limit, custom.Comparison.Offset));
        Assert.Equal((Utc(2024, 1, 31, 8), Utc(2024, 1, 31, 10)), (instants.Comparison!.FromUtc, instants.Comparison.ToUtc));
    }

    [Fact]
    public void Order_by_any_metric_or_dimension_of_the_query_and_time_as_answered()
    {
        var query = Parse("""{"metrics":["visitors","bounce_rate"],"date_range":"day","dimensions":["time","visit:os"],"order_by":[["time","desc"],["bounce_rate","asc"],["visit:os","desc"]]}""");

        Assert.Equal([new QueryOrder("time:hour", true), new QueryOrder("bounce_rate", false), new QueryOrder("visit:os", true)], query.OrderBy);
    }

    [Fact]
    public void Pagination_is_carried_over()
    {
        var query = With("\"dimensions\":[\"event:page\"],\"pagination\":{\"limit\":25,\"offset\":50}");

        Assert.Equal((25, 50), (query.Limit, query.Offset));
    }

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
    [InlineData("""{"metrics":["visitors","visitors"],"date_range":"7d"}""", "must not name a metric twice")]
    [InlineData("""{"metrics":["visitors"]}""", "date_range is required")]
    [InlineData("""{"metrics":["visitors"],"date_range":"fortnight"}""", "Unknown date_range 'fortnight'; use one of day, 7d")]
    [InlineData("""{"metrics":["visitors"],"date_range":"91d","dimensions":["time:hour"]}""", "Hourly results cover at most 31 days")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":"visit:os"}""", "dimensions must be an array of strings")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["time","time:day"]}""", "At most one time dimension (time, time:hour, time:day, time:week, time:month)")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["event:goal","event:goal"]}""", "must not name a dimension twice")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["event:props:"]}""", "event:props:<key>, the key 1 to 300 characters")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["segment"]}""", "Saved segments ('segment' dimensions) are not supported yet")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":{}}""", "order_by must be an array")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["visitors","up"]]}""", "Each order_by entry is [metric or dimension, \"asc\" | \"desc\"]")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["time","asc"]]}""", "order_by 'time' must be one of the query's metrics or dimensions")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","order_by":[["pageviews","asc"]]}""", "order_by 'pageviews' must be one of")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","dimensions":["visit:os"],"order_by":[["visit:browser","asc"]]}""", "order_by 'visit:browser' must be one of")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":[]}""", "pagination must be an object with limit and offset")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"limit":0}}""", "pagination.limit must be an integer from 1 to 10000")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"limit":10001}}""", "pagination.limit must be an integer from 1 to 10000")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"offset":-1}}""", "pagination.offset must be an integer from 0")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","pagination":{"page":2}}""", "Unknown pagination key 'page'; allowed: limit, offset")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","limit":5,"sort":"x"}""", "Unknown keys 'limit', 'sort'; allowed: site_id, metrics")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":[]}""", "include must be an object")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"totals":true}}""", "Unknown include key 'totals'; allowed: total_rows, time_labels, comparisons, imports")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"total_rows":"yes"}}""", "include.total_rows must be true or false")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"time_labels":true}}""", "include.time_labels needs a time dimension")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"last_week"}}}""", "include.comparisons is {\"mode\": \"previous_period\"")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":true}}""", "include.comparisons is {\"mode\"")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"custom"}}}""", "mode custom needs date_range")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"previous_period","date_range":["2026-01-01","2026-01-02"]}}}""", "only for mode custom")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"previous_period","match_day_of_week":true}}}""", "Unknown include.comparisons key 'match_day_of_week'")]
    [InlineData("""{"metrics":["visitors"],"date_range":"7d","include":{"comparisons":{"mode":"custom","date_range":["2026-01-07","2026-01-01"]}}}""", "starts after it ends")]
    [InlineData("""{"metrics":["visitors"],"date_range":["1970-01-01","1970-01-31"],"include":{"comparisons":{"mode":"previous_period"}}}""", "Dates must lie between 1970-01-01")]
    [InlineData("[]", "The body must be a JSON object")]
    public void Invalid_queries_say_what_is_wrong(string json, string expected) =>
        Assert.Contains(expected, Fails(json), StringComparison.Ordinal);

    [Theory]
    [InlineData("""{}""", "filters must be an array of filters")]
    [InlineData("""[["is","visit:os"]]""", "Each filter is [operator, dimension, [values]]")]
    [InlineData("""[["is","visit:os","Linux"]]""", "Each filter is [operator, dimension, [values]]")]
    [InlineData("""[["is","visit:os",[]]]""", "A 'is' filter on 'visit:os' takes 1 to 100 values")]
    [InlineData("""[["is","visit:os",[true]]]""", "The values of a 'is' filter on 'visit:os' must be strings")]
    [InlineData("""[["is","visit:os",["a"],{"case_sensitive":"no"}]]""", "case_sensitive must be true or false")]
    [InlineData("""[["is","visit:os",["a"],{"ignore_case":true}]]""", "Unknown filter modifier 'ignore_case'")]
    [InlineData("""[["is","visit:os",["a"],"x"]]""", "The fourth item of a 'is' filter is its modifiers")]
    [InlineData("""[["equals","visit:os",["Linux"]]]""", "Unknown filter operator 'equals'; use is, is_not, contains, contains_not, matches, matches_not, and, or, not, has_done or has_not_done")]
    [InlineData("""[["matches_wildcard","event:page",["/blog*"]]]""", "Unknown filter operator 'matches_wildcard'")]
    [InlineData("""[["is","visit:planet",["Mars"]]]""", "Unknown filter dimension 'visit:planet'; supported: event:page")]
    [InlineData("""[["is","segment",[1]]]""", "Saved segments ('segment' filter dimensions) are not supported yet")]
    [InlineData("""[["and",[]]]""", "\"and\" takes one non-empty array of filters")]
    [InlineData("""[["or",["is","visit:os",["Linux"]],["is","visit:os",["Mac"]]]]""", "\"or\" takes one non-empty array of filters")]
    [InlineData("""[["not",["is","visit:os",["a"]],["is","visit:os",["b"]]]]""", "\"not\" takes one filter")]
    [InlineData("""[["has_done",["is","visit:source",["Google"]]]]""", "has_done and has_not_done take filters on event dimensions only, not 'visit:source'")]
    [InlineData("""[["has_done",["has_not_done",["is","event:goal",["a"]]]]]""", "\"has_not_done\" cannot be nested inside has_done")]
    [InlineData("""[["matches","event:page",["(a"]]]""", "The 'matches' pattern '(a' is not a valid regular expression")]
    [InlineData("""[["matches_not","event:page",["(a)\\1"]]]""", "cannot run in linear time (RE2 syntax has no backreferences, lookarounds")]
    [InlineData("""[["matches","event:page",["(?=a)b"]]]""", "cannot run in linear time")]
    public void Invalid_filters_say_what_is_wrong(string filters, string expected) =>
        Assert.Contains(expected, FailsWith($"\"filters\":{filters}"), StringComparison.Ordinal);

    [Fact]
    public void Filters_are_bounded_in_depth_conditions_values_and_lengths()
    {
        var deep = "[\"is\",\"visit:os\",[\"a\"]]";
        for (var i = 0; i < FilterParser.MaxDepth; i++)
        {
            deep = $"[\"not\",{deep}]";
        }

        Assert.Contains($"filters nest deeper than {FilterParser.MaxDepth} levels", FailsWith($"\"filters\":[{deep}]"), StringComparison.Ordinal);

        var leaves = string.Join(",", Enumerable.Repeat("[\"is\",\"visit:os\",[\"a\"]]", FilterParser.MaxLeaves + 1));
        Assert.Contains($"more than {FilterParser.MaxLeaves} conditions", FailsWith($"\"filters\":[{leaves}]"), StringComparison.Ordinal);
        Assert.NotNull(With($"\"filters\":[{string.Join(",", Enumerable.Repeat("[\"is\",\"visit:os\",[\"a\"]]", FilterParser.MaxLeaves))}]").Filter);

        var values = JsonSerializer.Serialize(Enumerable.Range(0, FilterParser.MaxValuesPerLeaf + 1).Select(i => $"v{i}"));
        Assert.Contains("takes 1 to 100 values", FailsWith($"\"filters\":[[\"is\",\"event:page\",{values}]]"), StringComparison.Ordinal);
        Assert.Contains("longer than 2048 characters",
            FailsWith($"\"filters\":[[\"contains\",\"event:page\",[\"{new string('a', FilterParser.MaxValueLength + 1)}\"]]]"), StringComparison.Ordinal);
        Assert.Contains($"A 'matches' pattern is longer than {FilterParser.MaxPatternLength} characters",
            FailsWith($"\"filters\":[[\"matches\",\"event:page\",[\"{new string('a', FilterParser.MaxPatternLength + 1)}\"]]]"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_built_to_explode_is_answered_quickly()
    {
        // Nested counted repetitions: a backtracking engine's nightmare; within the length bound, compiled or refused fast.
        var clock = Stopwatch.StartNew();
        try
        {
            With("""
                "filters":[["matches","event:page",["((((a{100}){100}){100}){100}){100}"],{"case_sensitive":false}]]
                """);
        }
        catch (QueryValidationException)
        {
            // Refused is as good as compiled: only the time matters here.
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Work_is_bounded_by_segments_dimensions_and_metrics()
    {
        const string metrics = """["visitors","visits","pageviews","views_per_visit","bounce_rate","visit_duration"]""";

        // Ten years by day (Berlin's, so from Dec 31 in UTC) with a breakdown and six metrics: 3655 segments × 2 × 6.
        Assert.Contains("The query is too large: 3655 day segments × 2 dimensions × 6 metrics exceeds 40000",
            Fails($$"""{"metrics":{{metrics}},"date_range":["2016-01-01","2025-12-31"],"dimensions":["visit:source","time:day"]}"""), StringComparison.Ordinal);
        Assert.NotNull(Parse("""{"metrics":["visitors","pageviews"],"date_range":["2016-01-01","2025-12-31"],"dimensions":["time:day"]}"""));
        // A comparison scans its own segments too.
        Assert.NotNull(Parse($$"""{"metrics":{{metrics}},"date_range":["2016-01-01","2020-12-31"],"dimensions":["visit:source","time:day"]}"""));
        Assert.Contains("too large", Fails("{\"metrics\":" + metrics
            + ""","date_range":["2016-01-01","2020-12-31"],"dimensions":["visit:source","time:day"],"include":{"comparisons":{"mode":"year_over_year"}}}"""),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Null_optional_sections_mean_absent()
    {
        var query = Parse("""{"metrics":["visitors"],"date_range":"7d","dimensions":null,"filters":null,"order_by":null,"pagination":null,"include":null}""");

        Assert.Empty(query.Dimensions);
        Assert.Null(query.Filter);
        Assert.Null(With("\"filters\":[]").Filter);
        Assert.Empty(query.OrderBy);
        Assert.Equal(StatsQueryParser.MaxLimit, query.Limit);
    }
}
