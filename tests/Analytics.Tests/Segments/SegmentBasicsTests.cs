using System.IO.Compression;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Visitor 1: session 11 at 10:00 (Google, 5 min: /, /pricing, /signup and a Signup with 10 EUR, 30 s engaged on
/// /pricing at 60% scroll) and session 12 at 20:00 (Google, 2 min: /pricing, /). Visitor 2: session 21 at 12:00
/// (direct, Firefox, a bounce on /, 10 s engaged at 20%).
/// </summary>
public sealed class SegmentBasicsTests
{
    private static readonly string[] AllMetrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.ViewsPerVisit, MetricNames.BounceRate,
        MetricNames.VisitDuration, MetricNames.Events, MetricNames.TimeOnPage, MetricNames.ScrollDepth, MetricNames.Percentage,
        MetricNames.TotalRevenue, MetricNames.AverageRevenue,
    ];

    internal static Segment Scenario()
    {
        var t10 = Day.AddHours(10);
        var t12 = Day.AddHours(12);
        var t20 = Day.AddHours(20);
        return Build(
            Day,
            [
                Session(11, 1, t10, TimeSpan.FromMinutes(5), "/", "/signup", pageviews: 3, events: 4, bounce: false, source: "Google"),
                Session(21, 2, t12, TimeSpan.Zero, "/", "/", pageviews: 1, events: 1, bounce: true, browser: "Firefox"),
                Session(12, 1, t20, TimeSpan.FromMinutes(2), "/pricing", "/", pageviews: 2, events: 2, bounce: false, source: "Google"),
            ],
            [
                Pageview(11, 1, t10, "/"),
                Pageview(11, 1, t10.AddMinutes(1), "/pricing"),
                Engagement(11, 1, t10.AddMinutes(2), "/pricing", 30_000, 60),
                Pageview(11, 1, t10.AddMinutes(4), "/signup"),
                Custom(11, 1, t10.AddMinutes(5), "Signup", "/signup", new Dictionary<string, string> { ["plan"] = "pro" }, revenue: 10m),
                Pageview(21, 2, t12, "/"),
                Engagement(21, 2, t12.AddSeconds(10), "/", 10_000, 20),
                Pageview(12, 1, t20, "/pricing"),
                Pageview(12, 1, t20.AddMinutes(2), "/"),
            ]);
    }

    [Fact]
    public void A_partial_holds_only_the_counters_its_metrics_read_and_each_metric_alone_answers_as_among_all()
    {
        var segment = Scenario();
        string[] pages = [Dimensions.Page];
        var together = Run(segment, Ask(AllMetrics, pages));

        for (var m = 0; m < AllMetrics.Length; m++)
        {
            var alone = Run(segment, Ask([AllMetrics[m]], pages));
            // Rows in page order: each is ordered by its first metric.
            Assert.Equal(
                together.Rows.Select(r => (r.Dimensions[0], r.Metrics[m])).OrderBy(r => r.Item1, StringComparer.Ordinal),
                alone.Rows.Select(r => (r.Dimensions[0], r.Metrics[0])).OrderBy(r => r.Item1, StringComparer.Ordinal));
        }

        var held = segment.Scan(Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source, Dimensions.EntryPage])).Groups.Held;
        Assert.Equal((1 << GroupTable.Visits) | (1 << GroupTable.Events), held);
    }

    [Fact]
    public void Every_metric_of_the_whole_range()
    {
        var result = Run(Scenario(), Ask(AllMetrics));

        var row = Assert.Single(result.Rows);
        Assert.Empty(row.Dimensions);
        // time_on_page: 40 s over the 2 engaged visits; scroll_depth: (60 + 20) / 2 visits. Revenue: the query has no
        // revenue goal, so none (the API answers null and says why).
        Assert.Equal([2, 3, 6, 2, 33, 140, 7, 20, 40, 100, 0, 0], row.Metrics);
        Assert.Equal("no_revenue_goals_matching", result.RevenueWarning);
        Assert.Equal(1, result.TotalRows);
    }

    [Fact]
    public void Pages_count_their_events_and_visitors()
    {
        var result = Run(Scenario(), Ask([MetricNames.Visitors, MetricNames.Pageviews, MetricNames.Events], [Dimensions.Page]));

        Assert.Equal(["/=2,3,3", "/pricing=1,2,2", "/signup=1,1,2"], Lines(result));
    }

    [Fact]
    public void Sources_count_their_sessions()
    {
        var result = Run(Scenario(), Ask([MetricNames.Visits, MetricNames.BounceRate, MetricNames.Visitors], [Dimensions.Source]));

        Assert.Equal(["Google=2,0,1", "Direct / None=1,100,1"], Lines(result));
    }

    [Fact]
    public void Is_and_is_not_on_a_visit_dimension()
    {
        var metrics = new[] { MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews };

        Assert.Equal(["=1,2,5"], Lines(Run(Scenario(), Ask(metrics, filter: Is(Dimensions.Source, "Google")))));
        Assert.Equal(["=1,1,1"], Lines(Run(Scenario(), Ask(metrics, filter: new DimensionFilter(FilterOperator.IsNot, Dimensions.Source, ["Google"])))));
    }

    [Fact]
    public void An_event_filter_keeps_the_sessions_that_saw_the_page()
    {
        var result = Run(Scenario(), Ask([MetricNames.Visits, MetricNames.BounceRate, MetricNames.Pageviews, MetricNames.Visitors], filter: Is(Dimensions.Page, "/pricing")));

        Assert.Equal(["=2,0,2,1"], Lines(result));
    }

    [Fact]
    public void A_written_segment_reads_back_the_same()
    {
        var segment = Scenario();
        var bytes = segment.Write();
        var read = Segment.Read(bytes);

        Assert.Equal(segment.Key, read.Key);
        Assert.Equal(segment.EventCount, read.EventCount);
        Assert.Equal(segment.SessionCount, read.SessionCount);
        AnswersAlike(segment, read);
    }

    [Fact]
    public void A_sealed_segment_is_standard_arrow()
    {
        using var zip = new ZipArchive(new MemoryStream(Scenario().Write()), ZipArchiveMode.Read);
        using var stream = zip.GetEntry("events.arrows")!.Open();
        using var reader = new ArrowStreamReader(stream, new Apache.Arrow.Compression.CompressionCodecFactory());

        var batch = reader.ReadNextRecordBatch();

        Assert.Equal(9, batch.Length);
        var pages = (DictionaryArray)batch.Column("page");
        var dictionary = (StringArray)pages.Dictionary;
        var pageOf = Enumerable.Range(0, batch.Length).Select(i => dictionary.GetString(((Int32Array)pages.Indices).GetValue(i)!.Value)).ToList();
        Assert.Equal(3, pageOf.Count(p => p == "/pricing"));
        Assert.Equal("example.com|2026-11-23", reader.Schema.Metadata[Segment.KeyMetadata]);
        Assert.Null(reader.ReadNextRecordBatch());
    }

    [Fact]
    public void A_segment_sealed_through_arrows_own_zstd_codec_reads_back_the_same()
    {
        // Segments sealed before the native codec went through Apache.Arrow.Compression's port: they must still read.
        var segment = Scenario();
        var tables = SegmentArchive.Read(segment.Write());
        var sealedThroughPort = SegmentArchive.Write(tables.Select(t => (t.Key, t.Value)), new Apache.Arrow.Compression.CompressionCodecFactory());

        var read = Segment.Read(sealedThroughPort);

        Assert.Equal(segment.Key, read.Key);
        AnswersAlike(segment, read);
    }

    [Fact]
    public void Segments_go_through_native_zstd_where_it_ships_and_through_arrows_port_elsewhere()
    {
        Assert.Same(NativeZstdCodecs.Instance, NativeZstdCodecs.Choose(() => true));
        Assert.IsType<Apache.Arrow.Compression.CompressionCodecFactory>(NativeZstdCodecs.Choose(() => false));
        if (System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64")
        {
            // ZstdNet ships libzstd for this platform: it must be found beside the assemblies, not silently missed.
            Assert.Same(NativeZstdCodecs.Instance, NativeZstdCodecs.Preferred);
        }
    }

    [Fact]
    public void A_replayed_append_and_an_older_snapshot_change_nothing()
    {
        var builder = new SegmentBuilder(SegmentKey.Of(Site, Day));
        var newer = Session(1, 1, Day.AddHours(1), TimeSpan.FromMinutes(1), "/", "/b", pageviews: 2, events: 2, bounce: false, version: 2);
        var older = newer with { Version = 1, Pageviews = 1, Events = 1, Bounce = true, ExitPage = "/" };
        var append = new SegmentAppend { Producer = 1, Sequence = 2, Sessions = [newer], Events = [Pageview(1, 1, Day.AddHours(1), "/b")] };

        Assert.True(builder.Apply(append));
        Assert.False(builder.Apply(append));
        Assert.True(builder.Apply(new SegmentAppend { Producer = 2, Sequence = 1, Sessions = [older] }));

        var result = Run(builder.Build(), Ask([MetricNames.Visits, MetricNames.BounceRate, MetricNames.Pageviews, MetricNames.ViewsPerVisit]));
        Assert.Equal(["=1,0,1,2"], Lines(result));
        Assert.Equal(1, builder.EventCount);
    }

    /// <summary>Both segments give the same answers, totals and breakdowns by an event, a session, a time and a property dimension.</summary>
    private static void AnswersAlike(Segment expected, Segment actual)
    {
        string[][] groupings = [[], [Dimensions.Page], [Dimensions.Source, "time:hour"], ["event:props:plan"]];
        foreach (var dimensions in groupings)
        {
            var query = Ask(AllMetrics, dimensions);
            Assert.Equal(Lines(Run(expected, query)), Lines(Run(actual, query)));
        }
    }
}
