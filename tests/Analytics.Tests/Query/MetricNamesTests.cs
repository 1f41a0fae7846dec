using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Query;

public sealed class MetricNamesTests
{
    [Fact]
    public void All_lists_the_stats_api_metric_names_once()
    {
        Assert.Equal(["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events", "time_on_page", "scroll_depth"], MetricNames.All);
    }

    [Fact]
    public void Without_a_dimension_every_metric_is_supported() => Assert.Equal(MetricNames.All, MetricNames.SupportedFor(null));

    [Theory]
    [InlineData(Dimensions.Page, new[] { "visitors", "pageviews", "events", "time_on_page", "scroll_depth" })]
    [InlineData(Dimensions.Goal, new[] { "visitors", "pageviews", "events" })]
    public void Event_scoped_dimensions_answer_event_metrics_only(string dimension, string[] metrics)
    {
        Assert.Equal(metrics, MetricNames.SupportedFor(dimension));
        Assert.Contains(dimension, Dimensions.EventScoped);
        Assert.False(Dimensions.IsSessionScoped(dimension));
    }

    [Fact]
    public void Exit_pages_answer_visitors_and_visits() =>
        Assert.Equal(["visitors", "visits"], MetricNames.SupportedFor(Dimensions.ExitPage));

    [Fact]
    public void Session_scoped_dimensions_answer_session_metrics_but_not_events()
    {
        Assert.All(Dimensions.SessionScoped, dimension =>
        {
            Assert.True(Dimensions.IsSessionScoped(dimension));
            Assert.Equal(["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"], MetricNames.SupportedFor(dimension));
        });
    }

    [Fact]
    public void Every_supported_metric_is_a_known_metric()
    {
        Assert.All(Dimensions.All, dimension => Assert.All(MetricNames.SupportedFor(dimension), m => Assert.Contains(m, MetricNames.All)));
    }

    [Fact]
    public void All_dimensions_are_the_session_and_event_scoped_ones_plus_exit_page()
    {
        Assert.Equal(Dimensions.SessionScoped.Count + Dimensions.EventScoped.Count + 1, Dimensions.All.Count);
        Assert.Contains(Dimensions.ExitPage, Dimensions.All);
        Assert.All(Dimensions.All, d => Assert.Matches("^(event|visit):[a-z_]+$", d));
    }
}
