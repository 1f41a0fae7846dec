using System.Globalization;
using System.Text;

namespace Analytics.Bench.Traffic;

/// <summary>One synthetic beacon, before the ingestion pipeline: what a browser (or bot) would send.</summary>
public sealed record SyntheticBeacon(
    DateTime Timestamp,
    string Site,
    string Name,
    string Url,
    string? Referrer,
    string UserAgent,
    string ClientIp,
    string? CookieId,
    int ScreenWidth,
    IReadOnlyDictionary<string, string>? Props)
{
    /// <summary>The compact tracker body ({n,u,d,r,w,p,v}).</summary>
    public string ToCompactJson()
    {
        var sb = new StringBuilder(256);
        sb.Append("{\"n\":").Append(Quote(Name)).Append(",\"u\":").Append(Quote(Url)).Append(",\"d\":").Append(Quote(Site));
        if (Referrer is not null)
        {
            sb.Append(",\"r\":").Append(Quote(Referrer));
        }

        sb.Append(",\"w\":").Append(ScreenWidth.ToString(CultureInfo.InvariantCulture));
        if (CookieId is not null)
        {
            sb.Append(",\"v\":").Append(Quote(CookieId));
        }

        if (Props is { Count: > 0 })
        {
            // The compact form carries props as a JSON string, as Plausible's script does.
            var inner = "{" + string.Join(",", Props.Select(p => Quote(p.Key) + ":" + Quote(p.Value))) + "}";
            sb.Append(",\"p\":").Append(Quote(inner));
        }

        return sb.Append('}').ToString();
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}

/// <summary>
/// Deterministic synthetic traffic (seeded): sites of very different sizes (Zipf over sites), Zipf page popularity,
/// sessions of 1–20 pageviews with gaps up to 29 minutes, a referrer/UTM mix, a user-agent mix with ~5% bots, and
/// custom events with props. No countries (no GeoIP database here).
/// </summary>
public sealed class TrafficGenerator
{
    public static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ];

    private static readonly double[] UserAgentWeights = [30, 20, 12, 6, 18, 7, 3, 4];

    public static readonly string[] BotAgents =
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.31.0",
    ];

    private static readonly (string? Referrer, string? Utm, double Weight)[] Referrers =
    [
        (null, null, 35),
        ("https://www.google.com/", null, 25),
        ("https://www.bing.com/", null, 4),
        ("https://duckduckgo.com/", null, 3),
        ("https://t.co/abc123", null, 6),
        ("https://www.facebook.com/", null, 4),
        ("https://news.ycombinator.com/", null, 3),
        ("https://github.com/some/repo", null, 5),
        (null, "utm_source=newsletter&utm_medium=email&utm_campaign=november", 7),
        (null, "utm_source=twitter&utm_medium=social&utm_campaign=launch", 3),
        ("https://someblog.example.org/post", null, 5),
    ];

    private static readonly int[] ScreenWidths = [1920, 1440, 1366, 390, 414, 768, 2560];
    private static readonly string[] Goals = ["Signup", "Download", "Outbound Link: Click", "Purchase"];

    private readonly int _seed;

    public TrafficGenerator(int seed, int sites)
    {
        _seed = seed;
        SiteCount = sites;
        // Site i gets weight 1/(i+1)^1.3: the first site is much bigger than the tail.
        SiteWeights = [.. Enumerable.Range(0, sites).Select(i => 1.0 / Math.Pow(i + 1, 1.3))];
        var pages = Enumerable.Range(0, sites).Select(i => Math.Max(20, (int)(2000 * SiteWeights[i]))).ToArray();
        PageCounts = pages;
        _pageSamplers = [.. pages.Select(n => new ZipfSampler(n, 1.1))];
    }

    public int SiteCount { get; }
    public double[] SiteWeights { get; }
    public int[] PageCounts { get; }
    private readonly ZipfSampler[] _pageSamplers;

    public static string SiteDomain(int i) => $"site{i}.bench";

    public static string PagePath(int rank) => rank switch
    {
        0 => "/",
        1 => "/pricing",
        2 => "/about",
        _ => (rank % 3) switch
        {
            0 => $"/blog/post-{rank}",
            1 => $"/docs/page-{rank}",
            _ => $"/p/{rank}",
        },
    };

    /// <summary>
    /// Sessions spread over [from, to) with a daily rhythm, sorted by time (so each visitor's events are in order),
    /// at least <paramref name="minEvents"/> beacons. Returning visitors reuse ids from a per-site pool.
    /// </summary>
    public List<SyntheticBeacon> History(DateTime from, DateTime to, int minEvents, double botShare = 0.05, double cookielessShare = 0)
    {
        var random = new Random(_seed);
        var siteSampler = new WeightedSampler(SiteWeights);
        var uaSampler = new WeightedSampler(UserAgentWeights);
        var refSampler = new WeightedSampler([.. Referrers.Select(r => r.Weight)]);
        var visitorsPerSite = new int[SiteCount];
        var events = new List<SyntheticBeacon>(minEvents + 64);
        var span = (to - from).Ticks;
        var session = 0L;
        while (events.Count < minEvents)
        {
            var site = siteSampler.Next(random);
            // Daily rhythm: accept a start time with probability following a sinusoid peaking at 14:00 UTC.
            DateTime start;
            do
            {
                start = from.AddTicks((long)(random.NextDouble() * span));
            }
            while (random.NextDouble() > 0.55 + (0.45 * Math.Cos((start.TimeOfDay.TotalHours - 14) / 24 * 2 * Math.PI)));

            var isBot = random.NextDouble() < botShare;
            var returning = visitorsPerSite[site] > 0 && random.NextDouble() < 0.25;
            var visitor = returning ? random.Next(visitorsPerSite[site]) : visitorsPerSite[site]++;
            var ua = isBot ? BotAgents[random.Next(BotAgents.Length)] : UserAgents[uaSampler.Next(random)];
            // Documentation-range addresses in a header only (no traffic goes anywhere but loopback).
            var ip = $"203.0.{(visitor >> 8) & 0xff}.{visitor & 0xff}";
            var cookie = random.NextDouble() < cookielessShare ? null : $"bv{_seed:x}s{site}v{visitor:x8}";
            var (referrer, utm, _) = Referrers[refSampler.Next(random)];
            var width = ScreenWidths[random.Next(ScreenWidths.Length)];
            var pageviews = random.NextDouble() < 0.4 ? 1 : 1 + (int)Math.Min(19, -Math.Log(1 - random.NextDouble()) * 4);
            var domain = SiteDomain(site);
            var t = start;
            for (var p = 0; p < pageviews && t < to; p++)
            {
                var path = PagePath(_pageSamplers[site].Next(random));
                var url = $"https://{domain}{path}" + (p == 0 && utm is not null ? "?" + utm : string.Empty);
                var r = p == 0 ? referrer : $"https://{domain}/";
                events.Add(new SyntheticBeacon(t, domain, "pageview", url, r, ua, ip, cookie, width, null));
                if (random.NextDouble() < 0.08)
                {
                    var goal = Goals[random.Next(Goals.Length)];
                    var props = new Dictionary<string, string> { ["plan"] = random.Next(3) switch { 0 => "free", 1 => "pro", _ => "team" } };
                    events.Add(new SyntheticBeacon(t.AddSeconds(2), domain, goal, url, null, ua, ip, cookie, width, props));
                }

                // Gaps up to 29 minutes, mostly short (exponential, mean 90 s).
                t = t.AddSeconds(Math.Min(29 * 60, 5 + (-Math.Log(1 - random.NextDouble()) * 90)));
            }

            session++;
        }

        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    /// <summary>An endless stream of live beacons (timestamps are the receive time on the server).</summary>
    public IEnumerable<SyntheticBeacon> Live(int seedOffset, double botShare = 0.05, double cookielessShare = 0.1)
    {
        var random = new Random(_seed + seedOffset);
        var siteSampler = new WeightedSampler(SiteWeights);
        var uaSampler = new WeightedSampler(UserAgentWeights);
        var refSampler = new WeightedSampler([.. Referrers.Select(r => r.Weight)]);
        var n = 0L;
        while (true)
        {
            var site = siteSampler.Next(random);
            var isBot = random.NextDouble() < botShare;
            var visitor = random.Next(1_000_000);
            var ua = isBot ? BotAgents[random.Next(BotAgents.Length)] : UserAgents[uaSampler.Next(random)];
            var ip = $"198.51.{(visitor >> 8) & 0xff}.{visitor & 0xff}";
            var cookie = random.NextDouble() < cookielessShare ? null : $"lv{seedOffset:x}v{visitor:x8}";
            var (referrer, utm, _) = Referrers[refSampler.Next(random)];
            var domain = SiteDomain(site);
            var path = PagePath(_pageSamplers[site].Next(random));
            var url = $"https://{domain}{path}" + (utm is not null ? "?" + utm : string.Empty);
            var custom = random.NextDouble() < 0.08;
            yield return custom
                ? new SyntheticBeacon(default, domain, Goals[random.Next(Goals.Length)], url, null, ua, ip, cookie, 1440,
                    new Dictionary<string, string> { ["plan"] = "pro" })
                : new SyntheticBeacon(default, domain, "pageview", url, referrer, ua, ip, cookie, ScreenWidths[random.Next(ScreenWidths.Length)], null);
            n++;
        }
    }
}

public sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int n, double s)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1 / Math.Pow(k + 1, s);
            _cumulative[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            _cumulative[k] /= sum;
        }
    }

    public int Next(Random random)
    {
        var i = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
    }
}

public sealed class WeightedSampler(double[] weights)
{
    private readonly ZipfLike _table = new(weights);

    public int Next(Random random) => _table.Next(random);

    private sealed class ZipfLike
    {
        private readonly double[] _cumulative;

        public ZipfLike(double[] weights)
        {
            _cumulative = new double[weights.Length];
            var sum = weights.Sum();
            var acc = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                acc += weights[i] / sum;
                _cumulative[i] = acc;
            }
        }

        public int Next(Random random)
        {
            var i = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
        }
    }
}
