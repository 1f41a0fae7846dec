using System.Globalization;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Segments;
using Analytics.Grains.Sessions;
using Xunit.Abstractions;

namespace Analytics.Tests.Abuse;

/// <summary>
/// An attacker sending a million distinct random paths into one segment (a day of one site): every pageview is counted,
/// the long tail is exact (each path its own row, none folded into "(other)"), and the sealed bytes per event stay small.
/// </summary>
public sealed class BreakdownCardinalityTests(ITestOutputHelper output)
{
    private const int Attack = 1_000_000;
    private const string Site = "attacked.test";
    private static readonly DateTime Noon = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_million_random_paths_in_one_segment_are_each_counted_exactly()
    {
        var random = new Random(20261123);
        var builder = new SegmentBuilder(SegmentKey.Of(Site, Noon));
        for (var i = 0; i < Attack; i++)
        {
            Assert.True(builder.Apply(RandomPageview(random, i)));
        }

        var bytes = builder.Build().Write();
        var sealedSegment = Segment.Read(bytes);
        output.WriteLine(FormattableString.Invariant($"{bytes.Length:N0} B sealed for {Attack:N0} pageviews (and as many sessions): {(double)bytes.Length / Attack:F1} B per event"));

        var query = new StatsQuery
        {
            Site = Site,
            Metrics = [MetricNames.Pageviews, MetricNames.Visitors],
            Dimensions = [Dimensions.Page],
            FromUtc = Noon.Date,
            ToUtc = Noon.Date.AddDays(1),
            Timezone = "Etc/UTC",
            Limit = 1_000,
        };
        var partial = sealedSegment.Scan(query);
        var pages = partial.ToResult(query);
        var totals = Segment.Read(bytes).Scan(query with { Dimensions = [] }).ToResult(query with { Dimensions = [] });

        Assert.Equal(Attack, pages.TotalRows);
        Assert.Equal(1_000, pages.Rows.Count);
        Assert.All(pages.Rows, r => Assert.Equal([1, 1], r.Metrics));
        Assert.DoesNotContain(pages.Rows, r => r.Dimensions[0] == Dimensions.Other);
        Assert.Equal(Attack, totals.Rows.Single().Metrics[0]);
        // The worst case for compression: every event a new visitor, session and producer with random 64-bit ids, and a
        // random path; about 50 B of each event are entropy (measured: 91.6 B per event with its session).
        Assert.True(bytes.Length < Attack * 120, $"{bytes.Length:N0} B for {Attack:N0} events");
    }

    private static SegmentAppend RandomPageview(Random random, int i)
    {
        var path = $"/{Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))}";
        var visitor = VisitorHash.Of(Site, random.NextInt64().ToString(CultureInfo.InvariantCulture));
        var at = Noon.AddMilliseconds(i);
        var session = Sessionizer.SessionIdOf(visitor, Guid.NewGuid());
        return new SegmentAppend
        {
            Producer = visitor,
            Sequence = 1,
            Events = [new EventRow { Timestamp = at, Name = EventNames.Pageview, Pathname = path, Hostname = Site, Visitor = visitor, Session = session }],
            Sessions =
            [
                new SessionRow
                {
                    SessionId = session, Visitor = visitor, Start = at, End = at, Version = 1, EntryPage = path, ExitPage = path, Hostname = Site,
                    Pageviews = 1, Events = 1, Bounce = true, Source = "Direct / None", Channel = ChannelClassifier.Direct, Device = "Desktop",
                    Browser = "Chrome", BrowserVersion = "120.0", Os = "Windows", OsVersion = "10", Country = "DE",
                },
            ],
        };
    }
}
