using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Bench.Micro;

/// <summary>
/// A realistic, seeded day of one site as segment rows: ~300k sessions (a bit over half bounce), ~1M events (pageviews,
/// an engagement event after half of them, a few custom events with properties and revenue); pages, sources, browsers
/// and countries skewed as real traffic is (a few values take most rows, a long tail takes the rest).
/// </summary>
public sealed class SegmentDay
{
    public const string Site = "bench.example";

    private static readonly string[] Sources =
        ["Google", "Direct / None", "Bing", "DuckDuckGo", "Twitter", "Facebook", "Reddit", "Hacker News", "LinkedIn", "GitHub", "Ecosia", "Yandex"];

    private static readonly string[] Browsers = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "Opera"];
    private static readonly string[] Oses = ["Windows", "Android", "iOS", "Mac", "GNU/Linux"];
    private static readonly string[] Devices = ["Desktop", "Mobile", "Tablet"];
    private static readonly string[] Screens = ["Desktop", "Mobile", "Tablet", "Laptop"];

    public SegmentDay(DateTime day, int sessions, int seed = 14)
    {
        var random = new Random(seed);
        var events = new List<EventRow>(sessions * 4);
        var rows = new List<SessionRow>(sessions);
        var countries = Enumerable.Range(0, 120).Select(i => $"{(char)('A' + (i / 26))}{(char)('A' + (i % 26))}").ToArray();
        for (var s = 1; s <= sessions; s++)
        {
            var visitor = VisitorHash.Of(Site, "v" + random.Next(sessions * 3 / 4));
            var sessionId = VisitorHash.Of(Site, "s" + s);
            // More traffic in the afternoon: the sum of two uniforms peaks mid-day.
            var start = day.AddSeconds((random.NextDouble() + random.NextDouble()) / 2 * 86_399);
            var source = Skewed(random, Sources.Length + 400) is var code && code < Sources.Length ? Sources[code] : $"site-{code}.com";
            var pageviews = random.NextDouble() < 0.55 ? 1 : 2 + Skewed(random, 6);
            var at = start;
            var entry = Page(random);
            var page = entry;
            var customs = 0;
            for (var p = 0; p < pageviews; p++)
            {
                events.Add(Event(EventNames.Pageview, page, at, visitor, sessionId));
                if (random.Next(2) == 0)
                {
                    events.Add(Event(EventNames.Engagement, page, at.AddSeconds(random.Next(5, 90)), visitor, sessionId) with
                    {
                        Interactive = false,
                        EngagementMs = random.Next(1_000, 120_000),
                        ScrollDepth = random.Next(0, 101),
                    });
                }

                if (random.Next(40) == 0)
                {
                    customs++;
                    events.Add(Event("Signup", page, at.AddSeconds(3), visitor, sessionId) with
                    {
                        Props = new Dictionary<string, string> { ["plan"] = random.Next(3) == 0 ? "pro" : "free", ["via"] = source },
                        RevenueAmount = random.Next(3) == 0 ? random.Next(5, 500) : null,
                        RevenueCurrency = "EUR",
                    });
                }

                if (p < pageviews - 1)
                {
                    at = at.AddSeconds(random.Next(10, 400));
                    page = Page(random);
                }
            }

            var browser = Browsers[Skewed(random, Browsers.Length)];
            var hasUtm = random.Next(10) == 0;
            rows.Add(new SessionRow
            {
                SessionId = sessionId,
                Visitor = visitor,
                Start = start,
                End = at,
                Version = pageviews + customs,
                EntryPage = entry,
                ExitPage = page,
                Hostname = Site,
                Pageviews = pageviews,
                Events = pageviews + customs,
                Bounce = pageviews == 1 && customs == 0,
                Source = source,
                Referrer = source == "Direct / None" ? null : $"https://{source.ToLowerInvariant().Replace(' ', '-')}/",
                Channel = source == "Direct / None" ? "Direct" : source is "Google" or "Bing" or "DuckDuckGo" ? "Organic Search" : "Referral",
                UtmSource = hasUtm ? "newsletter" : null,
                UtmMedium = hasUtm ? "email" : null,
                UtmCampaign = hasUtm ? "week-" + random.Next(10) : null,
                Device = Devices[Skewed(random, Devices.Length)],
                Browser = browser,
                BrowserVersion = $"{100 + random.Next(30)}",
                Os = Oses[Skewed(random, Oses.Length)],
                OsVersion = $"{random.Next(8, 18)}",
                Country = countries[Skewed(random, countries.Length)],
                Region = random.Next(3) == 0 ? null : "R" + random.Next(40),
                City = random.Next(3) == 0 ? null : "C" + random.Next(400),
                Screen = Screens[Skewed(random, Screens.Length)],
            });
        }

        Events = events;
        Sessions = rows;
    }

    public IReadOnlyList<EventRow> Events { get; }

    public IReadOnlyList<SessionRow> Sessions { get; }

    public SegmentAppend Append() => new() { Producer = 1, Sequence = 1, Events = Events, Sessions = Sessions };

    /// <summary>0 most often, n - 1 rarely (a cubic skew).</summary>
    private static int Skewed(Random random, int n) => (int)(Math.Pow(random.NextDouble(), 3) * n);

    private static string Page(Random random) => Skewed(random, 3000) switch
    {
        0 => "/",
        1 => "/pricing",
        2 => "/signup",
        var n when n < 1200 => $"/blog/post-{n}",
        var n => $"/docs/section-{n % 40}/page-{n}",
    };

    private static EventRow Event(string name, string page, DateTime at, ulong visitor, ulong session) => new()
    {
        Timestamp = at,
        Name = name,
        Pathname = page,
        Hostname = Site,
        Visitor = visitor,
        Session = session,
    };
}
