using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Breakdowns of <see cref="SegmentBasicsTests.Scenario"/>.</summary>
public sealed class SegmentDimensionTests
{
    private static string[] Breakdown(string[] metrics, params string[] dimensions) =>
        Lines(Run(SegmentBasicsTests.Scenario(), Ask(metrics, dimensions)));

    [Fact]
    public void Properties_group_events_without_the_key_under_none() =>
        Assert.Equal(["(none)=2,6", "pro=1,1"], Breakdown([MetricNames.Visitors, MetricNames.Events], "event:props:plan"));

    [Fact]
    public void Event_name_breakdowns_list_custom_events_only() =>
        Assert.Equal(["Signup=1,1,1"], Breakdown([MetricNames.Visitors, MetricNames.Events, MetricNames.Visits], Dimensions.Name));

    [Fact]
    public void Visit_dimensions_read_the_session() =>
        Assert.Equal(["Chrome=2,5", "Firefox=1,1"], Breakdown([MetricNames.Visits, MetricNames.Pageviews], Dimensions.Browser));

    [Fact]
    public void Entry_and_exit_pages() =>
        Assert.Equal(["/,/=1", "/,/signup=1", "/pricing,/=1"], Breakdown([MetricNames.Visits], Dimensions.EntryPage, Dimensions.ExitPage));

    [Fact]
    public void A_visit_and_an_event_dimension_together() =>
        Assert.Equal(
            ["Direct / None,/=1,1,1", "Google,/=1,2,2", "Google,/pricing=1,2,2", "Google,/signup=1,1,1"],
            Breakdown([MetricNames.Visitors, MetricNames.Pageviews, MetricNames.Visits], Dimensions.Source, Dimensions.Page));

    [Fact]
    public void Rows_without_a_value_are_omitted()
    {
        var result = Run(SegmentBasicsTests.Scenario(), Ask([MetricNames.Visits], [Dimensions.UtmSource]));

        Assert.Empty(result.Rows);
        Assert.Equal(0, result.TotalRows);
    }

    [Fact]
    public void Percentage_is_of_the_visitors_of_the_whole_query() =>
        Assert.Equal(["/=2,100", "/pricing=1,50", "/signup=1,50"], Breakdown([MetricNames.Visitors, MetricNames.Percentage], Dimensions.Page));

    [Fact]
    public void Engagement_metrics_per_page() =>
        Assert.Equal(["/pricing=30,60", "/=10,20", "/signup=0,0"], Breakdown([MetricNames.TimeOnPage, MetricNames.ScrollDepth], Dimensions.Page));

    [Fact]
    public void Order_by_offset_and_limit()
    {
        var query = Ask([MetricNames.Pageviews], [Dimensions.Page]) with
        {
            OrderBy = [new QueryOrder(Dimensions.Page, Descending: true)],
            Offset = 1,
            Limit = 1,
        };

        var result = Run(SegmentBasicsTests.Scenario(), query);

        Assert.Equal(["/pricing=2"], Lines(result));
        Assert.Equal(3, result.TotalRows);
    }

    [Fact]
    public void Unknown_and_unsupported_names_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Breakdown(["bogus"]));
        Assert.Throws<ArgumentException>(() => Breakdown([MetricNames.Visitors], "visit:nope"));
        Assert.Throws<ArgumentException>(() => Breakdown([MetricNames.Visitors], Dimensions.CountryName));
    }
}
