using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Query;

public sealed class QueryFilterTests
{
    [Theory]
    [InlineData("/blog", true)]
    [InlineData("/pricing", true)]
    [InlineData("/Blog", false)]
    [InlineData("/blog/", false)]
    public void Is_matches_any_value_exactly(string value, bool expected) =>
        Assert.Equal(expected, new QueryFilter(QueryFilter.Is, "event:page", ["/blog", "/pricing"]).Matches(value));

    [Theory]
    [InlineData("/blog", false)]
    [InlineData("/pricing", false)]
    [InlineData("/Blog", true)]
    [InlineData("/about", true)]
    public void Is_not_matches_values_not_listed(string value, bool expected) =>
        Assert.Equal(expected, new QueryFilter(QueryFilter.IsNot, "event:page", ["/blog", "/pricing"]).Matches(value));

    [Theory]
    [InlineData("/blog/hello", true)]
    [InlineData("/BLOG", true)]
    [InlineData("/docs/api", true)]
    [InlineData("/about", false)]
    public void Contains_matches_any_substring_ignoring_case(string value, bool expected) =>
        Assert.Equal(expected, new QueryFilter(QueryFilter.Contains, "event:page", ["blog", "api"]).Matches(value));

    [Fact]
    public void An_unknown_operator_matches_nothing() =>
        Assert.False(new QueryFilter("matches", "event:page", ["/"]).Matches("/"));
}
