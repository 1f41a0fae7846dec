using Analytics.Abstractions.Caching;
using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Options;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Partial answers of sealed segments kept per query shape (<see cref="SegmentPartialCache"/>): a hit answers exactly what
/// a scan does, and a replaced, erased or differently configured segment is never answered from an old partial.
/// </summary>
public sealed class SegmentPartialCacheTests : IDisposable
{
    private static readonly string[] Metrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate,
        MetricNames.VisitDuration, MetricNames.Percentage, MetricNames.TimeOnPage, MetricNames.TotalRevenue,
    ];

    private readonly MemoryHotCache _hotCache = new(Options.Create(new HotCacheOptions()));

    public void Dispose() => _hotCache.Dispose();

    /// <summary>The sessions of <see cref="SegmentRows.Day"/> (of seeded traffic over two days) as one sealed segment.</summary>
    private static Segment DaySegment(int seed)
    {
        var traffic = SegmentLifecycleTests.Traffic(seed).Where(t => t.Session.Start < Day.AddDays(1)).ToList();
        return Segment.Read(Build(Day, traffic.Select(t => t.Session), traffic.SelectMany(t => t.Events)).Write());
    }

    private static IEnumerable<StatsQuery> Queries()
    {
        yield return Ask(Metrics, to: Day.AddDays(2));
        yield return Ask(Metrics, [Dimensions.Page], to: Day.AddDays(2));
        yield return Ask(Metrics, [Dimensions.Source, Dimensions.EntryPage, "time:hour"], to: Day.AddDays(2));
        yield return Ask(Metrics, ["time:week", Dimensions.Page], filter: Is(Dimensions.Source, "Google"), from: Day.AddDays(-3), to: Day.AddDays(4));
        yield return Ask(Metrics, ["event:props:plan"], filter: new HasDoneFilter(Is(Dimensions.Page, "/pricing"), Negated: false), from: Day.AddHours(6), to: Day.AddHours(20));
    }

    private SealedSegments Sealed(long capacity = 64L << 20) => new(
        _hotCache,
        Options.Create(new HotCacheOptions()),
        Options.Create(new SegmentOptions { PartialCacheBytes = capacity }),
        TimeProvider.System,
        Serializer);

    [Fact]
    public void A_hit_answers_exactly_what_a_scan_does_whatever_the_page_or_order()
    {
        var segment = DaySegment(seed: 21);
        var cache = Sealed().Partials;

        foreach (var query in Queries())
        {
            var misses = cache.Misses;
            Assert.Equal(Lines(Run(segment, query)), Lines(cache.Scan(segment, query).ToResult(query)));
            Assert.Equal(misses + 1, cache.Misses);

            var hits = cache.Hits;
            var page = query with { Limit = 3, Offset = 1, OrderBy = [new QueryOrder(MetricNames.Pageviews, true)] };
            Assert.Equal(Lines(Run(segment, page)), Lines(cache.Scan(segment, page).ToResult(page)));
            Assert.Equal(hits + 1, cache.Hits);
        }

        // Merging a cached partial into another leaves it as it was: the third answer is still the scan's.
        var first = Queries().First();
        SegmentPartial.MergeAll([cache.Scan(segment, first), cache.Scan(segment, first)]).ToResult(first);
        Assert.Equal(Lines(Run(segment, first)), Lines(cache.Scan(segment, first).ToResult(first)));
    }

    [Fact]
    public void Every_range_covering_the_whole_day_shares_the_partial_but_a_cut_one_does_not()
    {
        var segment = DaySegment(seed: 22);
        var cache = Sealed().Partials;
        var month = Ask(Metrics, [Dimensions.Page, "time:day"], from: Day.AddDays(-20), to: Day.AddDays(10));
        var week = month with { FromUtc = Day.AddDays(-2), ToUtc = Day.AddDays(5) };
        var morning = month with { FromUtc = Day, ToUtc = Day.AddHours(12) };

        cache.Scan(segment, month);
        var hits = cache.Hits;
        Assert.Equal(Lines(Run(segment, week)), Lines(cache.Scan(segment, week).ToResult(week)));
        Assert.Equal(hits + 1, cache.Hits);

        Assert.Equal(Lines(Run(segment, morning)), Lines(cache.Scan(segment, morning).ToResult(morning)));
        Assert.Equal(hits + 1, cache.Hits);
        Assert.NotEqual(Lines(Run(segment, month)), Lines(Run(segment, morning)));
    }

    [Fact]
    public async Task A_replaced_segment_is_never_answered_from_the_old_ones_partial()
    {
        var sealedSegments = Sealed();
        var before = DaySegment(seed: 23);
        var after = DaySegment(seed: 24); // what a re-aggregation of the same day stores in its place
        var query = Queries().ElementAt(1);
        Assert.NotEqual(Lines(Run(before, query)), Lines(Run(after, query)));

        await sealedSegments.StoreAsync(before.Key, before.Write());
        var read = (await sealedSegments.GetAsync([before.Key]))[0]!;
        Assert.Equal(Lines(Run(before, query)), Lines(sealedSegments.Partials.Scan(read, query).ToResult(query)));
        Assert.Same(read, (await sealedSegments.GetAsync([before.Key]))[0]);

        await sealedSegments.StoreAsync(after.Key, after.Write());
        var replaced = (await sealedSegments.GetAsync([after.Key]))[0]!;
        Assert.NotSame(read, replaced);
        Assert.Equal(Lines(Run(after, query)), Lines(sealedSegments.Partials.Scan(replaced, query).ToResult(query)));
    }

    [Fact]
    public async Task A_segment_its_grain_read_from_storage_is_the_one_queries_find_in_the_hot_cache()
    {
        var sealedSegments = Sealed();
        var stored = DaySegment(seed: 26).Write();
        var query = Queries().ElementAt(2);
        var grainsOwn = sealedSegments.Read(stored);
        var partial = sealedSegments.Partials.Scan(grainsOwn, query);

        // The hot cache keeps a copy of the bytes, not the array storage handed to the grain.
        await sealedSegments.StoreAsync(grainsOwn.Key, stored);
        var fromCache = (await sealedSegments.GetAsync([grainsOwn.Key]))[0]!;

        Assert.Same(grainsOwn, fromCache);
        Assert.Same(partial, sealedSegments.Partials.Scan(fromCache, query));

        var replaced = DaySegment(seed: 27).Write();
        await sealedSegments.StoreAsync(grainsOwn.Key, replaced);
        Assert.NotSame(grainsOwn, (await sealedSegments.GetAsync([grainsOwn.Key]))[0]);
        Assert.Throws<InvalidDataException>(() => sealedSegments.Read([1, 2, 3]));
    }

    [Fact]
    public async Task Erasing_a_site_drops_its_segments_and_their_partials()
    {
        var sealedSegments = Sealed();
        var segment = DaySegment(seed: 25);
        await sealedSegments.StoreAsync(segment.Key, segment.Write());
        var read = (await sealedSegments.GetAsync([segment.Key]))[0]!;
        foreach (var query in Queries())
        {
            sealedSegments.Partials.Scan(read, query);
        }

        Assert.True(sealedSegments.Partials.Bytes > 0);

        await sealedSegments.ForgetSiteAsync(segment.Key.Site);

        Assert.Equal(0, sealedSegments.Partials.Bytes);
        Assert.Null((await sealedSegments.GetAsync([segment.Key]))[0]);
    }

    [Fact]
    public void A_changed_goal_is_another_shape()
    {
        var segment = DaySegment(seed: 26);
        var cache = Sealed().Partials;
        var signup = new Goal { DisplayName = "Signup", EventName = "Signup" };
        var pricing = new Goal { DisplayName = "Signup", PagePath = "/pricing" }; // the same goal, redefined
        var query = Ask([MetricNames.Visitors, MetricNames.Events], [Dimensions.Goal], to: Day.AddDays(2)) with { Goals = [signup] };
        var redefined = query with { Goals = [pricing] };
        Assert.NotEqual(Lines(Run(segment, query)), Lines(Run(segment, redefined)));

        Assert.Equal(Lines(Run(segment, query)), Lines(cache.Scan(segment, query).ToResult(query)));
        var hits = cache.Hits;
        Assert.Equal(Lines(Run(segment, redefined)), Lines(cache.Scan(segment, redefined).ToResult(redefined)));
        Assert.Equal(hits, cache.Hits);
    }

    [Fact]
    public void The_cache_holds_no_more_than_its_bytes_dropping_the_least_recently_used_of_equals()
    {
        // Six decodings of one day: six keys whose partials are worth the same, so recency decides.
        var bytes = DaySegment(seed: 30).Write();
        var segments = Enumerable.Range(0, 6).Select(_ => Segment.Read(bytes)).ToList();
        var query = Queries().ElementAt(2);
        // Room for four of the six partials.
        var capacity = segments[0].Scan(query).EstimatedBytes * 4;
        var cache = Sealed(capacity).Partials;

        cache.Scan(segments[0], query);
        cache.Scan(segments[1], query);
        cache.Scan(segments[2], query);
        cache.Scan(segments[0], query); // now segments[1] and [2] are the least recently used: the two to go
        foreach (var segment in segments.Skip(3))
        {
            cache.Scan(segment, query);
            Assert.InRange(cache.Bytes, 1, capacity);
        }

        var hits = cache.Hits;
        cache.Scan(segments[0], query);
        cache.Scan(segments[^1], query);
        Assert.Equal(hits + 2, cache.Hits);
        var misses = cache.Misses;
        cache.Scan(segments[1], query);
        Assert.Equal(misses + 1, cache.Misses);
        cache.Scan(segments[2], query);
        Assert.Equal(misses + 2, cache.Misses);
    }

    [Fact]
    public void A_partial_large_for_the_rows_it_saves_goes_before_small_ones_however_recent()
    {
        var days = Enumerable.Range(40, 6).Select(DaySegment).ToList();
        var totals = Queries().First();
        var breakdown = Queries().ElementAt(2);
        var totalsBytes = days.Sum(d => d.Scan(totals).EstimatedBytes);
        var largest = days.Max(d => d.Scan(breakdown).EstimatedBytes);
        Assert.True(days.Min(d => d.Scan(breakdown).EstimatedBytes) > 4 * days.Max(d => d.Scan(totals).EstimatedBytes), "the breakdown's partials are the larger ones");
        // Room for every day's totals and four and a half breakdown partials: the sixth breakdown cannot fit.
        var capacity = totalsBytes + (largest * 9 / 2);
        var cache = Sealed(capacity).Partials;

        foreach (var day in days)
        {
            cache.Scan(day, totals);
        }

        // The totals are now the least recently used, but they save more rows per byte.
        foreach (var day in days)
        {
            cache.Scan(day, breakdown);
            Assert.InRange(cache.Bytes, 1, capacity);
        }

        var hits = cache.Hits;
        foreach (var day in days)
        {
            cache.Scan(day, totals);
        }

        Assert.Equal(hits + days.Count, cache.Hits);
        var misses = cache.Misses;
        foreach (var day in days)
        {
            cache.Scan(day, breakdown);
        }

        Assert.InRange(cache.Misses - misses, 1, days.Count);
    }

    [Fact]
    public void Questions_asked_once_do_not_push_out_a_partial_asked_again_until_it_stops_being_asked()
    {
        // Decodings of one day: keys whose partials are worth the same, as in the test above.
        var bytes = DaySegment(seed: 31).Write();
        var query = Queries().ElementAt(2);
        var capacity = Segment.Read(bytes).Scan(query).EstimatedBytes * 4;
        var cache = Sealed(capacity).Partials;
        var asked = Segment.Read(bytes);
        cache.Scan(asked, query);
        cache.Scan(asked, query);

        // Twelve questions asked once: they take the other three places in turn, never the one asked twice.
        var once = Enumerable.Range(0, 12).Select(_ => Segment.Read(bytes)).ToList();
        foreach (var segment in once)
        {
            cache.Scan(segment, query);
            Assert.InRange(cache.Bytes, 1, capacity);
        }

        var hits = cache.Hits;
        cache.Scan(asked, query);
        cache.Scan(once[^1], query);
        Assert.Equal(hits + 2, cache.Hits);
        var misses = cache.Misses;
        cache.Scan(once[0], query);
        Assert.Equal(misses + 1, cache.Misses);

        // Not asked again while many others come and go, its count is halved away and it goes like any other.
        foreach (var segment in Enumerable.Range(0, 400).Select(_ => Segment.Read(bytes)))
        {
            cache.Scan(segment, query);
        }

        misses = cache.Misses;
        cache.Scan(asked, query);
        Assert.Equal(misses + 1, cache.Misses);
    }
}
