using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Analytics.Tests.Segments;

/// <summary>Hand-written segment rows and queries for the segment tests: a session is its snapshot plus its events.</summary>
internal static class SegmentRows
{
    public const string Site = "example.com";

    public static readonly DateTime Day = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);

    public static SessionRow Session(
        ulong id,
        ulong visitor,
        DateTime start,
        TimeSpan duration,
        string entry,
        string exit,
        int pageviews,
        int events,
        bool bounce,
        string source = "Direct / None",
        string browser = "Chrome",
        string? utmSource = null,
        string country = "DE",
        int version = 1) => new()
        {
            SessionId = id,
            Visitor = visitor,
            Start = start,
            End = start + duration,
            Version = version,
            EntryPage = entry,
            ExitPage = exit,
            Hostname = Site,
            Pageviews = pageviews,
            Events = events,
            Bounce = bounce,
            Source = source,
            Channel = source == "Direct / None" ? "Direct" : "Organic Search",
            UtmSource = utmSource,
            Device = "Desktop",
            Browser = browser,
            BrowserVersion = "120",
            Os = "Linux",
            OsVersion = "6",
            Country = country,
        };

    public static EventRow Pageview(ulong session, ulong visitor, DateTime at, string page) => new()
    {
        Timestamp = at,
        Name = EventNames.Pageview,
        Pathname = page,
        Hostname = Site,
        Visitor = visitor,
        Session = session,
    };

    public static EventRow Custom(ulong session, ulong visitor, DateTime at, string name, string page, IReadOnlyDictionary<string, string>? props = null, decimal? revenue = null) => new()
    {
        Timestamp = at,
        Name = name,
        Pathname = page,
        Hostname = Site,
        Visitor = visitor,
        Session = session,
        Props = props,
        RevenueAmount = revenue,
        RevenueCurrency = revenue is null ? null : "EUR",
    };

    public static EventRow Engagement(ulong session, ulong visitor, DateTime at, string page, long ms, int? scroll) => new()
    {
        Timestamp = at,
        Name = EventNames.Engagement,
        Pathname = page,
        Hostname = Site,
        Visitor = visitor,
        Session = session,
        Interactive = false,
        EngagementMs = ms,
        ScrollDepth = scroll,
    };

    public static Segment Build(DateTime day, IEnumerable<SessionRow> sessions, IEnumerable<EventRow> events)
    {
        var builder = new SegmentBuilder(SegmentKey.Of(Site, day));
        var sequence = 0L;
        foreach (var session in sessions)
        {
            builder.Apply(new SegmentAppend { Producer = session.Visitor, Sequence = ++sequence, Sessions = [session] });
        }

        builder.Apply(new SegmentAppend { Producer = 0, Sequence = 1, Events = [.. events] });
        return builder.Build();
    }

    /// <summary>Orleans' serializer with the segment and query types, as partials cross silos.</summary>
    public static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(SegmentPartial).Assembly).AddAssembly(typeof(StatsQuery).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public static StatsQuery Ask(string[] metrics, string[]? dimensions = null, FilterExpression? filter = null, DateTime? from = null, DateTime? to = null, string timezone = "UTC") => new()
    {
        Site = Site,
        Metrics = metrics,
        Dimensions = dimensions ?? [],
        FromUtc = from ?? Day,
        ToUtc = to ?? Day.AddDays(1),
        Timezone = timezone,
        Filter = filter,
    };

    public static DimensionFilter Is(string dimension, params string[] values) => new(FilterOperator.Is, dimension, values);

    public static QueryResult Run(Segment segment, StatsQuery query) => segment.Scan(query).ToResult(query);

    /// <summary>The result as "dim1,dim2=m1,m2" lines, for readable assertions.</summary>
    public static string[] Lines(QueryResult result) =>
        [.. result.Rows.Select(r => string.Join(",", r.Dimensions) + "=" + string.Join(",", r.Metrics.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
}
