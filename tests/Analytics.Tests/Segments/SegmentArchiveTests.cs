using System.Globalization;
using System.IO.Compression;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// Reading a sealed segment's archive (<see cref="SegmentArchive"/>): message bodies taken as the archive's own bytes
/// (<see cref="ArchiveBodyAllocator"/>), stored entries found in place (<see cref="StoredZipEntry"/>), and an archive
/// another tool wrote again with compressed entries.
/// </summary>
public sealed class SegmentArchiveTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void Every_table_reads_the_same_as_Arrow_reads_it_from_the_entry_stream()
    {
        var bytes = LargeSegment(sessions: 3_000).Write();
        var pristine = bytes.ToArray();

        var read = SegmentArchive.Read(bytes);

        Assert.True(pristine.AsSpan().SequenceEqual(bytes), "reading wrote into the archive");
        using var zip = new ZipArchive(new MemoryStream(pristine), ZipArchiveMode.Read);
        Assert.Equal(zip.Entries.Select(e => e.FullName).Order(), read.Keys.Order());
        foreach (var entry in zip.Entries)
        {
            // Arrow's own reader, allocator and codecs, through the entry's stream: copies, and checks nothing of ours.
            using var reference = new ArrowStreamReader(entry.Open(), new CompressionCodecFactory());
            var expected = reference.ReadNextRecordBatch();
            var actual = read[entry.FullName];
            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(expected.ColumnCount, actual.ColumnCount);
            for (var c = 0; c < expected.ColumnCount; c++)
            {
                AssertSameData(expected.Column(c).Data, actual.Column(c).Data, $"{entry.FullName} column {expected.Schema.GetFieldByIndex(c).Name}");
            }
        }
    }

    [Fact]
    public void A_body_is_the_archive_s_own_bytes_and_what_follows_it_fresh_memory()
    {
        var archive = new ArraySegment<byte>(new byte[256], 16, 200);
        using var stream = new MemoryStream(archive.Array!, archive.Offset, archive.Count, writable: false, publiclyVisible: true);
        var allocator = new ArchiveBodyAllocator(stream, archive, UninitializedArrowAllocator.Instance);
        stream.Position = 120;

        using var body = allocator.Allocate(40);
        using var decompressed = allocator.Allocate(40);
        stream.Position = 180;
        using var next = allocator.Allocate(60);

        Assert.True(body.Memory.Span.Overlaps(archive.AsSpan(80, 40), out var offset) && offset == 0, "the body is the 40 bytes before the stream's position");
        Assert.False(decompressed.Memory.Span.Overlaps(archive.Array), "a buffer asked for with the stream where it was is not the archive");
        Assert.True(next.Memory.Span.Overlaps(archive.AsSpan(120, 60), out offset) && offset == 0, "the next message's body");
    }

    [Fact]
    public void Stored_entries_are_found_in_place_after_data_descriptors_and_out_of_order()
    {
        var segment = LargeSegment(sessions: 2_000);
        // A zip written to a stream that cannot seek puts a data descriptor after each entry's data.
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(segment.Write()), ZipArchiveMode.Read))
        using (var target = new ZipArchive(new ForwardOnlyStream(output), ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                from.CopyTo(to);
            }
        }

        var bytes = new ArraySegment<byte>(output.ToArray());
        using var zip = new ZipArchive(new MemoryStream(bytes.Array!), ZipArchiveMode.Read);
        var next = 0;
        foreach (var entry in zip.Entries)
        {
            var data = StoredZipEntry.Find(bytes, entry, next);
            Assert.NotNull(data);
            // Every Arrow IPC stream opens with the continuation marker; the last entry's data is found from the start too.
            Assert.True(data.Value.AsSpan().StartsWith(new byte[] { 0xff, 0xff, 0xff, 0xff }), entry.FullName);
            Assert.Equal(data, StoredZipEntry.Find(bytes, entry, 0));
            next = data.Value.Offset + data.Value.Count;
        }

        var query = Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Page]);
        Assert.Equal(Lines(Run(segment, query)), Lines(Run(Segment.Read(bytes.Array!), query)));
    }

    [Fact]
    public void An_archive_written_again_with_compressed_entries_reads_the_same()
    {
        var segment = LargeSegment(sessions: 2_000);
        var stored = segment.Write();
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(stored), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                from.CopyTo(to);
            }
        }

        var rezipped = output.ToArray();
        Assert.NotEqual(stored.Length, rezipped.Length);

        var read = Segment.Read(rezipped);

        var query = Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate], [Dimensions.Page]);
        Assert.Equal(Lines(Run(segment, query)), Lines(Run(read, query)));
    }

    [Fact]
    public void A_large_segment_reads_back_the_same()
    {
        var segment = LargeSegment(sessions: 40_000);
        var bytes = segment.Write();
        Assert.True(bytes.Length > MiB, $"{bytes.Length} bytes: too small to be a busy day");

        var read = Segment.Read(bytes);

        Assert.Equal(segment.EventCount, read.EventCount);
        string[][] groupings = [[], [Dimensions.Page], [Dimensions.Source, "time:hour"], [Dimensions.Browser]];
        foreach (var dimensions in groupings)
        {
            var query = Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate, MetricNames.VisitDuration], dimensions);
            Assert.Equal(Lines(Run(segment, query)), Lines(Run(read, query)));
        }
    }

    private static void AssertSameData(ArrayData expected, ArrayData actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.NullCount, actual.NullCount);
        Assert.Equal(expected.Buffers.Length, actual.Buffers.Length);
        for (var b = 0; b < expected.Buffers.Length; b++)
        {
            Assert.True(expected.Buffers[b].Span.SequenceEqual(actual.Buffers[b].Span), $"{what}: buffer {b} differs");
        }

        Assert.Equal(expected.Children?.Length ?? 0, actual.Children?.Length ?? 0);
        for (var c = 0; c < (expected.Children?.Length ?? 0); c++)
        {
            AssertSameData(expected.Children![c], actual.Children![c], $"{what} child {c}");
        }

        Assert.Equal(expected.Dictionary is null, actual.Dictionary is null);
        if (expected.Dictionary is not null)
        {
            AssertSameData(expected.Dictionary, actual.Dictionary!, what + " dictionary");
        }
    }

    internal static Segment LargeSegment(int sessions)
    {
        var (rows, events) = LargeRows(sessions);
        return Build(Day, rows, events);
    }

    /// <summary>The rows of <see cref="LargeSegment"/>: sessions of one to four pageviews over many pages, within <see cref="SegmentRows.Day"/>.</summary>
    internal static (List<SessionRow> Sessions, List<EventRow> Events) LargeRows(int sessions)
    {
        var random = new Random(17);
        var rows = new List<SessionRow>(sessions);
        var events = new List<EventRow>(sessions * 3);
        for (var i = 1; i <= sessions; i++)
        {
            var visitor = (ulong)random.NextInt64(1, long.MaxValue);
            var start = Day.AddSeconds(random.Next(0, 86_000));
            var views = random.Next(1, 5);
            var pages = Enumerable.Range(0, views).Select(_ => "/p/" + random.Next(0, 3_000).ToString(CultureInfo.InvariantCulture)).ToList();
            rows.Add(Session((ulong)i, visitor, start, TimeSpan.FromSeconds(views * 30), pages[0], pages[^1], views, views, views == 1,
                source: random.Next(3) == 0 ? "Google" : "Direct / None", browser: random.Next(2) == 0 ? "Chrome" : "Firefox"));
            events.AddRange(pages.Select((page, j) => Pageview((ulong)i, visitor, start.AddSeconds(j * 30), page)));
        }

        return (rows, events);
    }

    /// <summary>A stream that only writes forward, as a network stream does.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
