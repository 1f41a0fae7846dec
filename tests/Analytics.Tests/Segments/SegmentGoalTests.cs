using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Configured goals over one day, every number counted by hand. V1 (Google, 10:00): /, /blog/a, scrolls /blog/a to 70%,
/// Signup {plan: pro} on /blog/a with 5 EUR, /pricing. V2 (direct, 11:00): /pricing, Signup {plan: free}, /blog/b/c, scrolls it to
/// 30%. V3 (Google, 12:00): a bounce on /. V4 (direct, 13:00): /blog/a, Purchase of 20 EUR, /. V5 (direct, 14:00): a
/// bounce on /. Goals: Signup, "Signup pro" (plan = pro), Visit /blog/**, Visit /pricing, Scroll 50% on /blog/**,
/// Purchase (EUR).
/// </summary>
public sealed class SegmentGoalTests
{
    internal static readonly IReadOnlyList<Goal> Goals =
    [
        new() { Id = 1, DisplayName = "Signup", EventName = "Signup" },
        new() { Id = 2, DisplayName = "Signup pro", EventName = "Signup", CustomProps = new Dictionary<string, string> { ["plan"] = "pro" } },
        new() { Id = 3, DisplayName = "Visit /blog/**", PagePath = "/blog/**" },
        new() { Id = 4, DisplayName = "Visit /pricing", PagePath = "/pricing" },
        new() { Id = 5, DisplayName = "Scroll 50% on /blog/**", PagePath = "/blog/**", ScrollThreshold = 50 },
        new() { Id = 6, DisplayName = "Purchase", EventName = "Purchase", Currency = "EUR" },
    ];

    internal static Segment Scenario()
    {
        DateTime At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);
        return Build(
            Day,
            [
                Session(11, 1, At(10), TimeSpan.FromMinutes(4), "/", "/pricing", pageviews: 3, events: 4, bounce: false, source: "Google"),
                Session(21, 2, At(11), TimeSpan.FromMinutes(3), "/pricing", "/blog/b/c", pageviews: 2, events: 3, bounce: false),
                Session(31, 3, At(12), TimeSpan.Zero, "/", "/", pageviews: 1, events: 1, bounce: true, source: "Google"),
                Session(41, 4, At(13), TimeSpan.FromMinutes(2), "/blog/a", "/", pageviews: 2, events: 3, bounce: false),
                Session(51, 5, At(14), TimeSpan.Zero, "/", "/", pageviews: 1, events: 1, bounce: true),
            ],
            [
                Pageview(11, 1, At(10), "/"),
                Pageview(11, 1, At(10, 1), "/blog/a"),
                Engagement(11, 1, At(10, 2), "/blog/a", 60_000, 70),
                Custom(11, 1, At(10, 3), "Signup", "/blog/a", new Dictionary<string, string> { ["plan"] = "pro" }, revenue: 5m),
                Pageview(11, 1, At(10, 4), "/pricing"),
                Pageview(21, 2, At(11), "/pricing"),
                Custom(21, 2, At(11, 1), "Signup", "/pricing", new Dictionary<string, string> { ["plan"] = "free" }),
                Pageview(21, 2, At(11, 2), "/blog/b/c"),
                Engagement(21, 2, At(11, 3), "/blog/b/c", 20_000, 30),
                Pageview(31, 3, At(12), "/"),
                Pageview(41, 4, At(13), "/blog/a"),
                Custom(41, 4, At(13, 1), "Purchase", "/blog/a", revenue: 20m),
                Pageview(41, 4, At(13, 2), "/"),
                Pageview(51, 5, At(14), "/"),
            ]);
    }

    private static StatsQuery Goal(string[] metrics, string[]? dimensions = null, FilterExpression? filter = null) =>
        Ask(metrics, dimensions, filter) with { Goals = Goals };

    /// <summary>Scans as the fan-out does: the main question and each denominator's question over the segment.</summary>
    internal static QueryResult Answer(Segment segment, StatsQuery query)
    {
        var denominators = new MetricDenominators();
        foreach (var (metric, question) in MetricDenominators.Questions(query))
        {
            denominators.Add(metric, segment.Scan(question));
        }

        return segment.Scan(query).ToResult(query, denominators);
    }

    private static string[] Lines(StatsQuery query) => SegmentRows.Lines(Answer(Scenario(), query));

    [Fact]
    public void A_goal_breakdown_has_a_row_per_goal_with_completions_and_its_conversion_rate_of_all_visitors() =>
        Assert.Equal(
            [
                "Visit /blog/**=3,3,60", "Signup=2,2,40", "Visit /pricing=2,2,40",
                "Purchase=1,1,20", "Scroll 50% on /blog/**=1,1,20", "Signup pro=1,1,20",
            ],
            Lines(Goal([MetricNames.Visitors, MetricNames.Events, MetricNames.ConversionRate], [Dimensions.Goal])));

    [Fact]
    public void Pageview_goals_count_pageviews_and_their_visits()
    {
        Assert.Equal(["Visit /blog/**=3,3"], Lines(Goal([MetricNames.Pageviews, MetricNames.Visits], [Dimensions.Goal], Is(Dimensions.Goal, "Visit /blog/**"))));
    }

    [Fact]
    public void A_goal_filter_selects_goals_by_display_name()
    {
        Assert.Equal(["=2,2,40"], Lines(Goal([MetricNames.Visitors, MetricNames.Events, MetricNames.ConversionRate], filter: new AndFilter([Is(Dimensions.Goal, "Signup")]))));
        // contains "Signup": Signup and Signup pro, whose completions are the same two events.
        Assert.Equal(["=2,2"], Lines(Goal([MetricNames.Visitors, MetricNames.Events], filter: new DimensionFilter(FilterOperator.Contains, Dimensions.Goal, ["signup"], CaseSensitive: false))));
        Assert.Equal(["=1,1"], Lines(Goal([MetricNames.Visitors, MetricNames.Events], filter: Is(Dimensions.Goal, "Signup pro"))));
        // Every non-engagement event but the two Signups; the 70% scroll is no event of this question.
        Assert.Equal(["=10"], Lines(Goal([MetricNames.Events], filter: new DimensionFilter(FilterOperator.IsNot, Dimensions.Goal, ["Signup"]))));
        Assert.Equal(["=1,1"], Lines(Goal([MetricNames.Visitors, MetricNames.Events], filter: new DimensionFilter(FilterOperator.Matches, Dimensions.Goal, ["^Scroll"]))));
    }

    [Fact]
    public void A_goal_filter_with_a_goal_breakdown_shows_only_the_selected_goals() =>
        Assert.Equal(
            ["Signup=2", "Signup pro=1"],
            Lines(Goal([MetricNames.Visitors], [Dimensions.Goal], new DimensionFilter(FilterOperator.Contains, Dimensions.Goal, ["Signup"]))));

    [Fact]
    public void Group_conversion_rate_divides_by_the_groups_visitors_without_the_goal_filter() =>
        // Google: V1 of V1, V3 converted; direct: V2 of V2, V4, V5.
        Assert.Equal(
            ["Direct / None=1,33.3,20", "Google=1,50,20"],
            Lines(Goal([MetricNames.Visitors, MetricNames.GroupConversionRate, MetricNames.ConversionRate], [Dimensions.Source], Is(Dimensions.Goal, "Signup"))));

    [Fact]
    public void Conversion_rate_ignores_prop_filters_in_its_denominator_but_keeps_visit_filters() =>
        // Google visitors: V1, V3; of them V1 completed Signup with plan pro.
        Assert.Equal(
            ["=1,50"],
            Lines(Goal(
                [MetricNames.Visitors, MetricNames.ConversionRate],
                filter: new AndFilter([Is(Dimensions.Goal, "Signup"), Is("event:props:plan", "pro"), Is(Dimensions.Source, "Google")]))));

    [Fact]
    public void Revenue_of_a_revenue_goal() =>
        Assert.Equal(["Purchase=20,20"], Lines(Goal([MetricNames.TotalRevenue, MetricNames.AverageRevenue], [Dimensions.Goal], Is(Dimensions.Goal, "Purchase"))));

    [Fact]
    public void Revenue_shows_only_for_revenue_goals()
    {
        // V1's Signup carries 5 EUR, but Signup is no revenue goal; Purchase (EUR) has V4's 20.
        var query = Goal([MetricNames.TotalRevenue, MetricNames.Events], [Dimensions.Goal], new DimensionFilter(FilterOperator.Is, Dimensions.Goal, ["Signup", "Purchase"]));
        Assert.Equal(["Purchase=20,1", "Signup=0,2"], Lines(query));
        // By event name too: Signup's 5 EUR is no revenue goal's; without configured goals there is no revenue at all.
        Assert.Equal(["Purchase=20", "Signup=0"], Lines(Goal([MetricNames.TotalRevenue], [Dimensions.Name])));
        Assert.Equal(["Purchase=0", "Signup=0"], SegmentRows.Lines(Run(Scenario(), Ask([MetricNames.TotalRevenue], [Dimensions.Name]))));
    }

    [Fact]
    public void Without_configured_goals_event_goal_has_no_rows_and_its_filters_select_no_event()
    {
        // event:goal is the configured goals only (Plausible): the custom events Signup and Purchase are not goals here.
        Assert.Empty(SegmentRows.Lines(Run(Scenario(), Ask([MetricNames.Visitors], [Dimensions.Goal]))));
        Assert.Equal(["=0,0"], SegmentRows.Lines(Run(Scenario(), Ask([MetricNames.Visitors, MetricNames.Events], null, Is(Dimensions.Goal, "Signup")))));
        // Negated, no event completes a goal: every visitor and event passes.
        Assert.Equal(["=5,12"], SegmentRows.Lines(Run(Scenario(), Ask([MetricNames.Visitors, MetricNames.Events], null, new DimensionFilter(FilterOperator.IsNot, Dimensions.Goal, ["Signup"])))));
    }

    [Fact]
    public void Event_name_stays_the_raw_name_when_goals_exist() =>
        Assert.Equal(["Signup=2", "Purchase=1"], Lines(Goal([MetricNames.Events], [Dimensions.Name])));

    [Fact]
    public void Exit_rate_is_exits_over_the_pages_pageviews() =>
        // Exits: / three (V3, V4, V5) of four pageviews; /pricing one of two; /blog/b/c one of one.
        Assert.Equal(
            ["/blog/b/c=100,1", "/=75,3", "/pricing=50,1"],
            Lines(Ask([MetricNames.ExitRate, MetricNames.Visits], [Dimensions.ExitPage]) with { OrderBy = [new QueryOrder(MetricNames.ExitRate, Descending: true)] }));

    [Fact]
    public void Exit_rate_leaves_exit_page_filters_out_of_its_denominator() =>
        // Plausible's own example: exits of / among sessions exiting there, over every pageview of /.
        Assert.Equal(["/=75"], Lines(Ask([MetricNames.ExitRate], [Dimensions.ExitPage], Is(Dimensions.ExitPage, "/"))));

    [Theory]
    [InlineData(new long[] { 1, 3, 2 }, 5, new long[] { 2, 1, 0 })]   // Signup, /blog/**, Signup pro: V1 read /blog before signing up; V2 after, but not pro
    [InlineData(new long[] { 3, 4 }, 5, new long[] { 3, 1 })]         // /blog/** then /pricing: V1 (V2 saw them the other way round)
    [InlineData(new long[] { 3, 5 }, 5, new long[] { 3, 1 })]         // /blog/** then the 50% scroll: V1 (V2 scrolled 30%)
    [InlineData(new long[] { 4, 1, 3 }, 5, new long[] { 2, 1, 1 })]   // /pricing, Signup, /blog/**: V2; V1 signed up before /pricing
    public void Funnel_steps_count_visitors_who_completed_them_in_order_within_a_visit(long[] goalIds, long all, long[] steps)
    {
        var query = Ask([MetricNames.Visitors]) with { Goals = [.. goalIds.Select(id => Goals.Single(g => g.Id == id))] };

        var partial = Scenario().Funnel(query);
        var read = Segment.Read(Scenario().Write()).Funnel(query); // its columns filled as the funnel reads them

        Assert.Equal(all, partial.AllVisitors);
        Assert.Equal(steps, partial.StepVisitors);
        Assert.Equal(all, read.AllVisitors);
        Assert.Equal(steps, read.StepVisitors);
    }

    [Fact]
    public void Funnels_follow_the_query_filters_and_merge_across_segments()
    {
        var query = Ask([MetricNames.Visitors], filter: Is(Dimensions.Source, "Google")) with { Goals = [Goals[2], Goals[4]] };
        var partial = Scenario().Funnel(query);
        Assert.Equal(2, partial.AllVisitors);
        Assert.Equal([1L, 1L], partial.StepVisitors);

        var twice = new FunnelPartial(2);
        twice.Merge(partial);
        twice.Merge(partial);
        Assert.Equal([1L, 1L], twice.StepVisitors);
    }
}
