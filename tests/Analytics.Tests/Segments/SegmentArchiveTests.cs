using System.Globalization;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Reading large sealed segments into huge pages (<see cref="HugePageArena"/>), checked against the kernel's own account (/proc/self/smaps).</summary>
public sealed class HugePageArenaTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public unsafe void Buffers_are_aligned_disjoint_and_keep_their_bytes_after_the_read_ends()
    {
        var arena = CreateArena(4 * MiB);
        int[] sizes = [3 * MiB, 100, MiB + 3, 0, 70 * MiB, 17];
        var buffers = sizes.Select(arena.Allocate).ToList();
        for (var i = 0; i < buffers.Count; i++)
        {
            buffers[i].Memory.Span.Fill((byte)(i + 1));
        }

        arena.Dispose();

        for (var i = 0; i < buffers.Count; i++)
        {
            var span = buffers[i].Memory.Span;
            Assert.Equal(sizes[i], span.Length);
            Assert.True(span.IndexOfAnyExcept((byte)(i + 1)) < 0, $"buffer {i} changed");
            using var pin = buffers[i].Memory.Pin();
            Assert.Equal(0, (long)pin.Pointer % 64);
            for (var j = 0; j < buffers.Count; j++)
            {
                Assert.True(j == i || !span.Overlaps(buffers[j].Memory.Span), $"buffers {i} and {j} overlap");
            }
        }

        buffers.ForEach(b => b.Dispose());
        Assert.Throws<ObjectDisposedException>(() => arena.Allocate(8));
    }

    [Fact]
    public void A_region_keeps_its_used_part_until_its_last_buffer_is_freed()
    {
        var arena = CreateArena(2 * MiB);
        var first = arena.Allocate(MiB);
        var second = arena.Allocate(MiB - 64);
        Assert.True(arena.MappedBytes >= 64 * MiB, "a region reserves address space for the whole read");

        arena.Dispose();
        Assert.Equal(2 * MiB, arena.MappedBytes);
        first.Dispose();
        Assert.Equal(2 * MiB, arena.MappedBytes);
        second.Dispose();
        Assert.Equal(0, arena.MappedBytes);
    }

    [Fact]
    public unsafe void Only_the_part_a_read_is_sure_to_fill_is_advised_as_huge_pages()
    {
        if (!File.Exists(ThpSetting))
        {
            return; // a kernel without transparent huge pages: the arena still works with small ones (the other tests)
        }

        var arena = CreateArena(4 * MiB);
        using var filled = arena.Allocate(4 * MiB);
        using var rest = arena.Allocate(MiB);
        filled.Memory.Span.Fill(1);
        rest.Memory.Span.Fill(2);
        arena.Dispose();
        using var filledPin = filled.Memory.Pin();
        using var restPin = rest.Memory.Pin();

        // The kernel's record of the advice (VmFlags "hg"); whether it then grants huge pages depends on its free memory.
        Assert.Contains("hg", VmFlags((long)filledPin.Pointer));
        Assert.DoesNotContain("hg", VmFlags((long)restPin.Pointer)); // past the sure part: nothing held half empty
    }

    [Fact]
    public void A_large_segment_reads_back_the_same()
    {
        var segment = LargeSegment(sessions: 40_000);
        var bytes = segment.Write();
        Assert.True(bytes.Length > MiB, $"{bytes.Length} bytes: too small to read through huge pages");

        var read = Segment.Read(bytes);

        Assert.Equal(segment.EventCount, read.EventCount);
        string[][] groupings = [[], [Dimensions.Page], [Dimensions.Source, "time:hour"], [Dimensions.Browser]];
        foreach (var dimensions in groupings)
        {
            var query = Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate, MetricNames.VisitDuration], dimensions);
            Assert.Equal(Lines(Run(segment, query)), Lines(Run(read, query)));
        }
    }

    private const string ThpSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    private static HugePageArena CreateArena(long leastBytes)
    {
        var arena = HugePageArena.TryCreate(leastBytes);
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(arena);
        }

        return arena ?? throw new PlatformNotSupportedException("anonymous mappings are read from /proc (Linux)");
    }

    internal static Segment LargeSegment(int sessions)
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

        return Build(Day, rows, events);
    }

    /// <summary>The VmFlags of the mapping that holds <paramref name="address"/>, from /proc/self/smaps.</summary>
    private static string[] VmFlags(long address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var first = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            if (!first.EndsWith(':'))
            {
                var range = first.Split('-');
                inside = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture) <= address
                    && address < long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (inside && first == "VmFlags:")
            {
                return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            }
        }

        throw new InvalidOperationException($"no mapping holds {address:x}");
    }
}
