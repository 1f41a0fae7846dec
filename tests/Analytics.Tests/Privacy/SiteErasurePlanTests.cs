using Analytics.Cassandra.Privacy;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Privacy;

namespace Analytics.Tests.Privacy;

/// <summary>Which keys a deletion takes, and which raw-log partitions it visits.</summary>
public sealed class SiteErasurePlanTests
{
    [Fact]
    public void A_site_owns_its_visitor_and_segment_keys_and_no_other_sites()
    {
        Assert.True(SiteKeys.Owns("a.com", VisitorKeys.Create("a.com", "c:visitor1")));
        Assert.True(SiteKeys.Owns("a.com", SegmentKey.Of("a.com", DateTime.UtcNow).ToString()));
        Assert.False(SiteKeys.Owns("a.com", VisitorKeys.Create("a.com.evil", "c:visitor1")));
        Assert.False(SiteKeys.Owns("a.com", VisitorKeys.Create("b.a.com", "c:visitor1")));
        Assert.False(SiteKeys.Owns("a.com", "a.com"));
        Assert.False(SiteKeys.Owns("a.co", VisitorKeys.Create("a.com", "x")));
    }

    [Fact]
    public void The_key_range_of_a_site_holds_exactly_its_keys_in_ordinal_order()
    {
        string[] keys = ["a.com", "a.com-x|v", "a.com.b|v", "a.com|", "a.com|2026-01-01", "a.com|zzz", "a.com}", "a.comx|v", "a.co|v"];
        var inRange = keys.Where(k => string.CompareOrdinal(k, SiteKeys.Prefix("a.com")) >= 0 && string.CompareOrdinal(k, SiteKeys.UpperBound("a.com")) < 0);
        Assert.Equal(keys.Where(k => SiteKeys.Owns("a.com", k)), inRange);
    }

    [Fact]
    public void Only_keys_with_a_site_part_are_indexed_per_site()
    {
        Assert.Equal("a.com", SiteKeys.SiteOf("a.com|c:v"));
        Assert.Null(SiteKeys.SiteOf("a.com"));
        Assert.Null(SiteKeys.SiteOf("|x"));
    }

    [Fact]
    public void Raw_log_days_span_the_segment_days_with_a_margin()
    {
        var days = CassandraSiteDataStore.RawLogDays([new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 4)]).ToList();
        Assert.Equal(new DateOnly(2026, 3, 4).AddDays(-CassandraSiteDataStore.DayMargin), days[0]);
        Assert.Equal(new DateOnly(2026, 3, 10).AddDays(CassandraSiteDataStore.DayMargin), days[^1]);
        Assert.Equal(days.Count, days.Distinct().Count());
        Assert.Equal(7 + 2 * CassandraSiteDataStore.DayMargin, days.Count);
    }

    [Fact]
    public void A_site_without_segments_has_no_raw_log_days() =>
        Assert.Empty(CassandraSiteDataStore.RawLogDays([]));
}
