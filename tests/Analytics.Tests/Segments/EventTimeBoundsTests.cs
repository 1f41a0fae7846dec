using System.Globalization;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Apache.Arrow;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// A segment's events table names its earliest and latest event time in its schema: a question whose range holds them
/// tests no event's time and leaves the time column compressed; a segment written before the bounds answers the same.
/// </summary>
public sealed class EventTimeBoundsTests
{
    private static readonly string[] Metrics = [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate];

    [Fact]
    public void The_bounds_are_the_earliest_and_latest_event_and_a_range_holding_them_leaves_the_time_column_compressed()
    {
        var segment = SegmentArchiveTests.LargeSegment(sessions: 3_000);
        var bytes = segment.Write();
        var metadata = SegmentArchive.Read(bytes)[SegmentArchive.Events].Schema.Metadata;
        var times = segment.Events.Timestamps.ToArray();
        Assert.Equal(times.Min().ToString(CultureInfo.InvariantCulture), metadata[EventTable.FirstEventMetadata]);
        Assert.Equal(times.Max().ToString(CultureInfo.InvariantCulture), metadata[EventTable.LastEventMetadata]);

        var day = Ask(Metrics, [Dimensions.Page]);
        var morning = day with { ToUtc = Day.AddHours(12) };
        var whole = Segment.Read(bytes);
        var cut = Segment.Read(bytes);
        Run(whole, day);
        Run(cut, morning);

        // The bounds as ranges: [from, to) must hold the first event and the last.
        var (first, last) = (times.Min(), times.Max());
        Assert.True(segment.Events.AllWithin(first, last + 1));
        Assert.False(segment.Events.AllWithin(first, last));
        Assert.False(segment.Events.AllWithin(first + 1, last + 1));

        // The same columns but one: the cut range tests each event's time (the column's values, and its validity bitmap
        // where the writer kept one).
        Assert.InRange(whole.UnfilledBuffers - cut.UnfilledBuffers, 1, 2);
        Assert.Equal(Lines(Run(segment, day)), Lines(Run(whole, day)));
    }

    [Fact]
    public void A_segment_written_before_the_bounds_answers_every_range_as_one_with_them()
    {
        // Plus a session running past midnight, its last event at the next day's first instant: outside [Day, Day + 1).
        var (sessions, events) = SegmentArchiveTests.LargeRows(sessions: 3_000);
        var late = Day.AddDays(1).AddMinutes(-10);
        sessions.Add(Session(900_001, 77, late, TimeSpan.FromMinutes(10), "/late", "/p/1", 2, 2, false));
        events.AddRange([Pageview(900_001, 77, late, "/late"), Pageview(900_001, 77, Day.AddDays(1), "/p/1")]);
        var segment = Build(Day, sessions, events);
        var bytes = segment.Write();
        var bounded = Segment.Read(bytes);
        var unbounded = WithoutBounds(bytes);
        Assert.True(bounded.Events.AllWithin(ArrowColumns.ToMicros(Day), ArrowColumns.ToMicros(Day.AddDays(2))));
        Assert.False(bounded.Events.AllWithin(ArrowColumns.ToMicros(Day), ArrowColumns.ToMicros(Day.AddDays(1))));
        Assert.False(unbounded.Events.AllWithin(ArrowColumns.ToMicros(Day), ArrowColumns.ToMicros(Day.AddDays(2))));

        // Ranges holding every event (the bounds decide) and ranges cutting some (each event's time does), has_done too.
        var visited = new HasDoneFilter(new DimensionFilter(FilterOperator.Contains, Dimensions.Page, ["/p/1"]), Negated: false);
        StatsQuery[] questions =
        [
            Ask(Metrics, [Dimensions.Page], from: Day.AddDays(-3), to: Day.AddDays(4)),
            Ask(Metrics, [Dimensions.Source, "time:hour"], to: Day.AddDays(2)),
            Ask(Metrics, [Dimensions.Browser], visited, from: Day.AddDays(-1), to: Day.AddDays(2)),
            Ask(Metrics, [Dimensions.Page]),
            Ask(Metrics, [Dimensions.Source, "time:hour"]),
            Ask(Metrics, [Dimensions.Page], from: Day.AddHours(6), to: Day.AddHours(18)),
            Ask(Metrics, [Dimensions.Browser], visited),
            Ask(Metrics, [Dimensions.Browser], visited, from: Day.AddHours(6), to: Day.AddHours(18)),
        ];
        foreach (var question in questions)
        {
            var expected = Lines(Run(unbounded, question));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Lines(Run(bounded, question)));
        }

        // The session past midnight counts in a range to its last event's instant, and not in one that ends there.
        var pages = Lines(Run(bounded, Ask(Metrics, [Dimensions.Page], to: Day.AddDays(2))));
        Assert.NotEqual(pages, Lines(Run(bounded, Ask(Metrics, [Dimensions.Page]))));
    }

    /// <summary>The segment as a build without the bounds wrote it: its events table's schema names only the segment.</summary>
    private static Segment WithoutBounds(byte[] bytes)
    {
        var tables = SegmentArchive.Read(bytes);
        var events = tables[SegmentArchive.Events];
        var key = events.Schema.Metadata[Segment.KeyMetadata];
        var schema = new Schema(events.Schema.FieldsList, [new(Segment.KeyMetadata, key)]);
        var stripped = new RecordBatch(schema, Enumerable.Range(0, events.ColumnCount).Select(events.Column), events.Length);
        return Segment.Of(SegmentKey.Parse(key), new EventTable(stripped), new SessionTable(tables[SegmentArchive.Sessions]),
            new PropsTable(tables[SegmentArchive.Props]), new Dictionary<ulong, long>());
    }
}
