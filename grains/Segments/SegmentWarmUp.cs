using System.Diagnostics;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Segments;

/// <summary>
/// Asks the usual questions of a small made-up segment as the silo starts, before it serves: the first questions after
/// a restart otherwise run the archive reader, the scanner and the merge as unoptimized code while the runtime compiles
/// them. On the engine scenario's data, the cold aggregate took ~550 ms after forty questions on another site against
/// ~950 ms without (bench/README.md, session 29). Each question is asked more often than the runtime's 30 calls before
/// it queues a method's optimized compilation. Off with <see cref="SegmentOptions.WarmUpOnStart"/>.
/// </summary>
public sealed class SegmentWarmUp(IOptions<SegmentOptions> options, ILogger<SegmentWarmUp> logger) : IHostedService
{
    private const int Rounds = 40;
    private const string Site = "warm-up.invalid";

    private static readonly DateTime Day = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var answers = await Task.Run(() => Run(cancellationToken), cancellationToken);
        logger.LogInformation("Query path warmed up: {Answers} answers of a made-up segment in {Elapsed} ms", answers, clock.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the made-up segment back from its archive and asks each question <see cref="Rounds"/> times; returns how many answers.</summary>
    internal static int Run(CancellationToken cancellationToken = default)
    {
        var archive = Build().Write();
        var answers = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var segment = Segment.Read(archive);
            foreach (var question in Questions())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var partial = segment.Scan(question);
                SegmentPartial.MergeAll([partial, partial]).ToResult(question);
                answers++;
            }
        }

        return answers;
    }

    /// <summary>A day of a site: visitors with one to three visits of a few pageviews and a custom event, over the usual dimensions.</summary>
    internal static Segment Build()
    {
        var random = new Random(29);
        string[] pages = ["/", "/pricing", "/docs", "/docs/start", "/blog/one", "/blog/two"];
        string[] sources = ["Google", "Direct / None", "Twitter", "Newsletter"];
        var events = new List<EventRow>();
        var sessions = new List<SessionRow>();
        for (var visitor = 1UL; visitor <= 300; visitor++)
        {
            for (var visit = 0; visit < 1 + (int)(visitor % 3); visit++)
            {
                var id = (visitor * 8) + (ulong)visit;
                var start = Day.AddMinutes(random.Next(0, 1400));
                var views = Enumerable.Range(0, random.Next(1, 5)).Select(i => pages[random.Next(pages.Length)]).ToArray();
                events.AddRange(views.Select((page, i) => new EventRow
                {
                    Timestamp = start.AddSeconds(i * 30),
                    Name = EventNames.Pageview,
                    Pathname = page,
                    Hostname = "warm-up.invalid",
                    Visitor = visitor,
                    Session = id,
                    Props = i == 0 ? new Dictionary<string, string> { ["plan"] = views.Length > 2 ? "pro" : "free" } : null,
                }));
                events.Add(new EventRow
                {
                    Timestamp = start.AddSeconds(views.Length * 30),
                    Name = "Signup",
                    Pathname = views[^1],
                    Hostname = "warm-up.invalid",
                    Visitor = visitor,
                    Session = id,
                });
                sessions.Add(new SessionRow
                {
                    SessionId = id,
                    Visitor = visitor,
                    Start = start,
                    End = start.AddSeconds(views.Length * 30),
                    Version = views.Length + 1,
                    EntryPage = views[0],
                    ExitPage = views[^1],
                    Hostname = "warm-up.invalid",
                    Pageviews = views.Length,
                    Events = views.Length + 1,
                    Bounce = views.Length == 1,
                    Source = sources[random.Next(sources.Length)],
                    Channel = "Direct",
                    Device = visitor % 2 == 0 ? "Desktop" : "Mobile",
                    Browser = "Firefox",
                    BrowserVersion = "140",
                    Os = "Linux",
                    OsVersion = "6",
                    Country = visitor % 3 == 0 ? "DE" : "US",
                });
            }
        }

        var builder = new SegmentBuilder(SegmentKey.Of(Site, Day));
        builder.Apply(new SegmentAppend { Producer = 1, Sequence = 1, Events = events, Sessions = sessions });
        return builder.Build();
    }

    /// <summary>What a dashboard asks first, and the filters its users add.</summary>
    internal static IEnumerable<StatsQuery> Questions()
    {
        StatsQuery Ask(string[] metrics, string[] dimensions, FilterExpression? filter = null) => new()
        {
            Site = Site,
            Metrics = metrics,
            Dimensions = dimensions,
            FromUtc = Day,
            ToUtc = Day.AddDays(1),
            Timezone = "UTC",
            Filter = filter,
            Limit = 10,
        };

        string[] visitors = [MetricNames.Visitors, MetricNames.Pageviews];
        yield return Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.BounceRate, MetricNames.VisitDuration], []);
        yield return Ask(visitors, ["time:day"]);
        yield return Ask(visitors, ["time:hour"]);
        yield return Ask(visitors, [Dimensions.Page]);
        yield return Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source]);
        yield return Ask([MetricNames.Visitors, MetricNames.Visits], [Dimensions.Source, Dimensions.EntryPage]);
        yield return Ask([MetricNames.Visitors, MetricNames.Visits, MetricNames.BounceRate], [Dimensions.Device]);
        yield return Ask([MetricNames.Visitors, MetricNames.Events], [Dimensions.PropsPrefix + "plan"]);
        yield return Ask(visitors, [Dimensions.Page], new DimensionFilter(FilterOperator.Contains, Dimensions.Page, ["/blog"]));
        yield return Ask(visitors, [Dimensions.Page], new DimensionFilter(FilterOperator.Is, Dimensions.Source, ["Google"]));
        yield return Ask(visitors, [Dimensions.Page], new DimensionFilter(FilterOperator.Matches, Dimensions.Page, ["^/docs/[a-z]+$"]));
        yield return Ask([MetricNames.Visits, MetricNames.BounceRate], [], new AndFilter(
        [
            new DimensionFilter(FilterOperator.Is, Dimensions.Page, ["/pricing"]),
            new DimensionFilter(FilterOperator.IsNot, Dimensions.Hostname, ["other.invalid"]),
        ]));
    }
}
