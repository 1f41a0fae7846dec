using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Each operator on <see cref="SegmentBasicsTests.Scenario"/>; results are visitors, visits, pageviews, events.</summary>
public sealed class SegmentFilterTests
{
    private static readonly string[] Metrics = [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events];

    private static string Answer(FilterExpression filter) => Assert.Single(Lines(Run(SegmentBasicsTests.Scenario(), Ask(Metrics, filter: filter))));

    private static DimensionFilter Leaf(FilterOperator op, string dimension, string[] values, bool caseSensitive = true) => new(op, dimension, values, caseSensitive);

    [Fact]
    public void Is_with_several_values_matches_any() =>
        Assert.Equal("=1,2,3,4", Answer(Leaf(FilterOperator.Is, Dimensions.Page, ["/signup", "/pricing"])));

    [Fact]
    public void Is_is_case_sensitive_unless_told()
    {
        Assert.Equal("=0,0,0,0", Answer(Leaf(FilterOperator.Is, Dimensions.Page, ["/PRICING"])));
        Assert.Equal("=1,2,2,2", Answer(Leaf(FilterOperator.Is, Dimensions.Page, ["/PRICING"], caseSensitive: false)));
    }

    [Fact]
    public void Contains_and_contains_not()
    {
        Assert.Equal("=1,2,2,2", Answer(Leaf(FilterOperator.Contains, Dimensions.Page, ["pric"])));
        Assert.Equal("=1,2,2,2", Answer(Leaf(FilterOperator.Contains, Dimensions.Page, ["PRIC"], caseSensitive: false)));
        Assert.Equal("=2,3,4,5", Answer(Leaf(FilterOperator.ContainsNot, Dimensions.Page, ["pric"])));
    }

    [Fact]
    public void Matches_and_matches_not_are_regular_expressions()
    {
        Assert.Equal("=1,2,2,2", Answer(Leaf(FilterOperator.Matches, Dimensions.Page, ["^/p.*g$"])));
        Assert.Equal("=0,0,0,0", Answer(Leaf(FilterOperator.Matches, Dimensions.Page, ["^/P"])));
        Assert.Equal("=1,2,2,2", Answer(Leaf(FilterOperator.Matches, Dimensions.Page, ["^/P"], caseSensitive: false)));
        Assert.Equal("=2,3,3,3", Answer(Leaf(FilterOperator.MatchesNot, Dimensions.Page, ["^/(pricing|signup)$"])));
    }

    [Fact]
    public void A_bad_regular_expression_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => Answer(Leaf(FilterOperator.Matches, Dimensions.Page, ["(unclosed"])));

    [Fact]
    public void An_absent_visit_value_reads_as_empty() =>
        Assert.Equal("=2,3,6,7", Answer(Leaf(FilterOperator.IsNot, Dimensions.UtmSource, ["newsletter"])));

    [Fact]
    public void Has_done_and_has_not_done_look_at_the_whole_visit()
    {
        var signup = Is(Dimensions.Name, "Signup");
        Assert.Equal("=1,1,3,4", Answer(new HasDoneFilter(signup, Negated: false)));
        Assert.Equal("=2,2,3,3", Answer(new HasDoneFilter(signup, Negated: true)));
    }

    [Fact]
    public void And_or_not_nest()
    {
        var googleHome = new AndFilter([Is(Dimensions.Source, "Google"), Is(Dimensions.Page, "/")]);
        var notChrome = new NotFilter(Is(Dimensions.Browser, "Chrome"));

        Assert.Equal("=1,2,2,2", Answer(googleHome));
        Assert.Equal("=2,3,3,3", Answer(new OrFilter([googleHome, notChrome])));
        Assert.Equal("=1,1,1,1", Answer(new AndFilter([new NotFilter(googleHome), notChrome])));
    }

    [Fact]
    public void A_leaf_every_value_passes_or_none_does_folds_through_and_or_not()
    {
        var everything = Assert.Single(Lines(Run(SegmentBasicsTests.Scenario(), Ask(Metrics))));
        var nowhere = Is(Dimensions.Page, "/nowhere");
        var anyHost = Leaf(FilterOperator.IsNot, Dimensions.Hostname, ["unseen.invalid"]);
        var pricing = Is(Dimensions.Page, "/pricing");

        Assert.NotEqual("=0,0,0,0", everything);
        Assert.Equal(everything, Answer(anyHost));
        Assert.Equal(everything, Answer(Leaf(FilterOperator.IsNot, Dimensions.Source, ["Nowhere"])));
        Assert.Equal("=0,0,0,0", Answer(nowhere));
        Assert.Equal("=0,0,0,0", Answer(new NotFilter(anyHost)));
        Assert.Equal(everything, Answer(new NotFilter(nowhere)));
        Assert.Equal(Answer(pricing), Answer(new OrFilter([nowhere, pricing])));
        Assert.Equal(Answer(pricing), Answer(new AndFilter([anyHost, pricing])));
        Assert.Equal("=0,0,0,0", Answer(new AndFilter([pricing, nowhere])));
        Assert.Equal(everything, Answer(new OrFilter([pricing, anyHost])));
        Assert.Equal(everything, Answer(new HasDoneFilter(anyHost, Negated: false)));
        Assert.Equal("=0,0,0,0", Answer(new HasDoneFilter(anyHost, Negated: true)));
    }

    [Fact]
    public void A_property_filter_reads_none_for_events_without_the_key()
    {
        Assert.Equal("=1,1,0,1", Answer(Is("event:props:plan", "pro")));
        Assert.Equal("=2,3,6,6", Answer(Is("event:props:plan", Dimensions.None)));
    }

    [Fact]
    public void An_unknown_dimension_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => Answer(Is("visit:shoe_size", "42")));
}
