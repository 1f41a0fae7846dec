using System.Buffers;
using System.Runtime.InteropServices;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>A read segment's buffers are decompressed column by column, when first read (<see cref="DeferredBuffers"/>).</summary>
public sealed class DeferredBuffersTests
{
    private static readonly string[] Tables = [SegmentArchive.Events, SegmentArchive.Sessions, SegmentArchive.Props, SegmentArchive.Producers];

    [Fact]
    public void Reading_fills_nothing_and_a_column_fills_only_its_own_buffers()
    {
        // Big enough that zstd shrinks every column (Arrow stores a buffer that would not shrink as it is).
        var bytes = SegmentArchiveTests.LargeSegment(sessions: 3_000).Write();
        var deferred = new DeferredBuffers(NativeZstdCodecs.Preferred);
        var tables = SegmentArchive.Read(bytes, deferred);
        var noted = deferred.Unfilled;
        Assert.True(noted > 20, $"{noted} buffers deferred");

        var visitors = tables[SegmentArchive.Events].Column("visitor");
        deferred.Fill(visitors);

        // The column's validity bitmap and values: two buffers, however the writer laid them out.
        var filled = noted - deferred.Unfilled;
        Assert.InRange(filled, 1, 2);
        var eager = SegmentArchive.Read(bytes);
        Assert.Equal(((UInt64Array)eager[SegmentArchive.Events].Column("visitor")).Values.ToArray(), ((UInt64Array)visitors).Values.ToArray());

        deferred.Fill(visitors);
        Assert.Equal(noted - filled, deferred.Unfilled);
    }

    [Fact]
    public void Every_column_filled_in_any_order_holds_what_an_eager_read_holds()
    {
        var bytes = SegmentArchiveTests.LargeSegment(sessions: 3_000).Write();
        var eager = SegmentArchive.Read(bytes);
        var deferred = new DeferredBuffers(NativeZstdCodecs.Preferred);
        var tables = SegmentArchive.Read(bytes, deferred);

        foreach (var table in Tables)
        {
            var columns = tables[table].ColumnCount;
            for (var c = columns - 1; c >= 0; c--)
            {
                deferred.Fill(tables[table].Column(c));
                AssertSameBuffers(eager[table].Column(c).Data, tables[table].Column(c).Data, $"{table} column {c}");
            }
        }

        Assert.Equal(0, deferred.Unfilled);
    }

    [Fact]
    public void A_read_segment_written_again_reads_back_the_same()
    {
        // Writing takes the tables whole: every buffer is filled first, including those no question read.
        var segment = SegmentBasicsTests.Scenario();
        var read = Segment.Read(segment.Write());
        Run(read, Ask([MetricNames.Visitors]));

        var again = Segment.Read(read.Write());

        Assert.Equal(segment.EventCount, again.EventCount);
        string[][] groupings = [[], [Dimensions.Page], [Dimensions.Source, "time:hour"], ["event:props:plan"], [Dimensions.Browser, Dimensions.City]];
        foreach (var dimensions in groupings)
        {
            var query = Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate, MetricNames.VisitDuration, MetricNames.Events], dimensions);
            Assert.Equal(Lines(Run(segment, query)), Lines(Run(again, query)));
        }
    }

    [Fact]
    public void A_read_segment_leaves_its_buffers_compressed_until_a_question_reads_them()
    {
        var segment = SegmentArchiveTests.LargeSegment(sessions: 3_000);
        var read = Segment.Read(segment.Write());
        var deferred = read.UnfilledBuffers;
        Assert.True(deferred > 20, $"{deferred} buffers deferred");

        Assert.Equal(Lines(Run(segment, Ask([MetricNames.Visitors]))), Lines(Run(read, Ask([MetricNames.Visitors]))));
        var left = read.UnfilledBuffers;
        Assert.InRange(left, 1, deferred - 1); // the sessions' strings, the props, ... were not needed

        read.Write();
        Assert.Equal(0, read.UnfilledBuffers);
    }

    [Fact]
    public void The_indexes_read_the_ids_and_leave_them_compressed()
    {
        // The events' visitor and session ids and the sessions' ids are read only to build the indexes questions use.
        var segment = SegmentArchiveTests.LargeSegment(sessions: 3_000);
        var bytes = segment.Write();
        var read = Segment.Read(bytes);
        var deferred = read.UnfilledBuffers;

        Assert.Equal(segment.SessionOfEvent, read.SessionOfEvent);
        Assert.Equal(segment.VisitorIds.OfEvent, read.VisitorIds.OfEvent);
        Assert.Equal(segment.VisitorIds.Hashes, read.VisitorIds.Hashes);
        Assert.True(read.EventsGroupedBySession && read.OneVisitorPerSession);
        Assert.Equal(deferred, read.UnfilledBuffers);

        // Once all is filled (written again), the ids are read in place: the same indexes.
        var filled = Segment.Read(bytes);
        filled.Write();
        Assert.Equal(0, filled.UnfilledBuffers);
        Assert.Equal(segment.SessionOfEvent, filled.SessionOfEvent);
        Assert.Equal(segment.VisitorIds.OfEvent, filled.VisitorIds.OfEvent);
        Assert.Equal(segment.VisitorIds.Hashes, filled.VisitorIds.Hashes);
        Assert.True(filled.EventsGroupedBySession && filled.OneVisitorPerSession);
    }

    [Fact]
    public void Ids_out_of_order_zero_or_unknown_index_alike_read_and_built()
    {
        // Events out of session order, without a session (0), with a session that has no row here, with visitor 0, a
        // visitor in two sessions and a session with two visitors: the indexes of a read segment and of the same
        // tables in memory agree, and say "not grouped" and "not one visitor each".
        var tables = SegmentArchive.Read(SegmentArchiveTests.LargeSegment(sessions: 300).Write());
        var events = tables[SegmentArchive.Events];
        var visitors = ((UInt64Array)events.Column(EventTable.VisitorColumn)).Values.ToArray();
        var sessions = ((UInt64Array)events.Column(EventTable.SessionColumn)).Values.ToArray();
        var n = sessions.Length;
        sessions[0] = sessions[n - 1];
        sessions[1] = 0;
        sessions[2] = 12_345;
        visitors[3] = 0;
        visitors[4] = 0;
        visitors[5] = visitors[n - 1];
        var second = Enumerable.Range(10, n - 10).First(i => sessions[i] == sessions[i - 1]);
        visitors[second] ^= 1;
        var columns = Enumerable.Range(0, events.ColumnCount).Select(events.Column).ToArray();
        columns[events.Schema.GetFieldIndex(EventTable.VisitorColumn)] = ArrowColumns.UInt64(visitors);
        columns[events.Schema.GetFieldIndex(EventTable.SessionColumn)] = ArrowColumns.UInt64(sessions);
        var key = SegmentKey.Parse(events.Schema.Metadata[Segment.KeyMetadata]);
        var built = Segment.Of(key, new EventTable(new RecordBatch(events.Schema, columns, n)), new SessionTable(tables[SegmentArchive.Sessions]),
            new PropsTable(tables[SegmentArchive.Props]), new Dictionary<ulong, long>());
        var read = Segment.Read(built.Write());
        var deferred = read.UnfilledBuffers;

        Assert.False(built.EventsGroupedBySession);
        Assert.False(built.OneVisitorPerSession);
        Assert.Equal(-1, built.SessionOfEvent[1]);
        Assert.Equal(-1, built.SessionOfEvent[2]);
        Assert.Equal(built.SessionOfEvent, read.SessionOfEvent);
        Assert.Equal(built.VisitorIds.OfEvent, read.VisitorIds.OfEvent);
        Assert.Equal(built.VisitorIds.Hashes, read.VisitorIds.Hashes);
        Assert.Contains(0UL, read.VisitorIds.Hashes);
        Assert.False(read.EventsGroupedBySession);
        Assert.False(read.OneVisitorPerSession);
        Assert.Equal(deferred, read.UnfilledBuffers);
    }

    [Fact]
    public void An_empty_read_segment_has_empty_indexes()
    {
        var read = Segment.Read(new SegmentBuilder(SegmentKey.Of("empty.test", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))).Build().Write());

        Assert.Empty(read.SessionOfEvent);
        Assert.Empty(read.VisitorIds.OfEvent);
        Assert.Empty(read.VisitorIds.Hashes);
        Assert.True(read.EventsGroupedBySession && read.OneVisitorPerSession);
    }

    [Fact]
    public void A_buffer_read_once_is_the_buffer_a_fill_gives()
    {
        var bytes = SegmentArchiveTests.LargeSegment(sessions: 3_000).Write();
        var eager = SegmentArchive.Read(bytes);
        var deferred = new DeferredBuffers(NativeZstdCodecs.Preferred);
        var tables = SegmentArchive.Read(bytes, deferred);
        var sessions = tables[SegmentArchive.Events].Column("session");
        var noted = deferred.Unfilled;

        var rented = deferred.RentUnfilled(sessions.Data.Buffers[1]);

        Assert.NotNull(rented);
        Assert.Equal(noted, deferred.Unfilled);
        var expected = ((UInt64Array)eager[SegmentArchive.Events].Column("session")).Values.ToArray();
        Assert.Equal(expected, MemoryMarshal.Cast<byte, ulong>(rented.AsSpan(0, expected.Length * sizeof(ulong))).ToArray());
        ArrayPool<byte>.Shared.Return(rented);

        deferred.Fill(sessions);
        Assert.Null(deferred.RentUnfilled(sessions.Data.Buffers[1])); // filled: read in place
        Assert.Equal(expected, ((UInt64Array)sessions).Values.ToArray());
    }

    [Fact]
    public void Questions_racing_to_a_column_all_read_it_whole()
    {
        var segment = SegmentArchiveTests.LargeSegment(sessions: 3_000);
        var bytes = segment.Write();
        string[][] groupings = [[Dimensions.Page], [Dimensions.Source], [Dimensions.Browser], [Dimensions.EntryPage, Dimensions.Source]];
        var expected = groupings.Select(d => Lines(Run(segment, Ask([MetricNames.Visitors, MetricNames.Pageviews, MetricNames.BounceRate], d)))).ToArray();

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var read = Segment.Read(bytes);
            Assert.True(read.UnfilledBuffers > 20, "nothing left to race for");
            using var start = new Barrier(8);
            var answers = new string[8][];
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                answers[i] = Lines(Run(read, Ask([MetricNames.Visitors, MetricNames.Pageviews, MetricNames.BounceRate], groupings[i % groupings.Length])));
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            for (var i = 0; i < answers.Length; i++)
            {
                Assert.Equal(expected[i % groupings.Length], answers[i]);
            }
        }
    }

    [Fact]
    public void A_buffer_whose_zstd_frame_disagrees_with_its_length_fails_the_read_not_a_later_question()
    {
        var frame = new MemoryStream();
        using (var codec = NativeZstdCodecs.Preferred.CreateCodec(CompressionCodecType.Zstd))
        {
            codec.Compress(new byte[1000], frame);
        }

        Assert.Equal(1000, ZstdFrame.ContentSize(frame.ToArray()));
        var recorder = new DeferredBuffers(NativeZstdCodecs.Preferred).CreateCodec(CompressionCodecType.Zstd);
        Assert.Equal(1000, recorder.Decompress(frame.ToArray(), new byte[1000]));
        Assert.Throws<InvalidDataException>(() => recorder.Decompress(frame.ToArray(), new byte[999]));
        Assert.Throws<InvalidDataException>(() => recorder.Decompress(new byte[16], new byte[1000]));
    }

    private static void AssertSameBuffers(ArrayData expected, ArrayData actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.Buffers.Length, actual.Buffers.Length);
        for (var b = 0; b < expected.Buffers.Length; b++)
        {
            Assert.True(expected.Buffers[b].Span.SequenceEqual(actual.Buffers[b].Span), $"{what}: buffer {b} differs");
        }

        if (expected.Dictionary is not null)
        {
            AssertSameBuffers(expected.Dictionary, actual.Dictionary!, what + " (dictionary)");
        }
    }
}
