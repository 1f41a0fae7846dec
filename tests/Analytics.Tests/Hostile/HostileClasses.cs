using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Analytics.Tests.Hostile;

/// <summary>
/// The classes of request once answered with a 500, generated for every endpoint they can reach: an unpaired surrogate
/// escape in each string (and a property name) of each JSON body, blank and odd domains in each path and body that names
/// a site, exports of the days around a missing local midnight, and control characters in login return URLs.
/// </summary>
public static class HostileClasses
{
    /// <summary>Sites in zones where a local midnight does not exist on <c>Day</c>; the test registers them first.</summary>
    public static readonly IReadOnlyList<(string Domain, string Timezone, string Day)> ZoneSites =
    [
        ("santiago.hostile.test", "America/Santiago", "2022-09-11"), ("cairo.hostile.test", "Africa/Cairo", "2023-04-28"),
        ("beirut.hostile.test", "Asia/Beirut", "2023-03-26"), ("havana.hostile.test", "America/Havana", "2023-03-12"),
        ("apia.hostile.test", "Pacific/Apia", "2011-12-30"),
    ];

    /// <summary>As they would arrive decoded, in a path segment or a JSON string.</summary>
    private static readonly string[] OddDomains =
        ["", " ", "  ", "\t", "\n", "\u00a0", "a b", ".", "..", "-", "_", "a..b", "-a.test", "a_b.test", "\u202e", "\ud83d\ude00", "xn--", "a/b", "%", "?", "#"];

    private const string Surrogate = "\\ud800";

    /// <summary>Every JSON endpoint with a valid body (bodies name <see cref="HostileCorpus.Site"/>).</summary>
    private static IEnumerable<(string Kind, string Path, string Body, string ContentType)> JsonEndpoints()
    {
        var site = HostileCorpus.Site;
        yield return ("event", "/api/event", $$$"""{"name":"Signup","url":"https://{{{site}}}/p?q=1","domain":"{{{site}}}","referrer":"https://ref.test/","props":{"plan":"pro"},"revenue":{"currency":"EUR","amount":"1.5"}}""", "text/plain");
        yield return ("event", "/api/event", $$"""{"n":"Signup","u":"https://{{site}}/","d":"{{site}}","p":"{\"plan\":\"pro\"}","v":"visitor"}""", "application/json");
        yield return ("query", "/api/v2/query", $$"""{"site_id":"{{site}}","metrics":["visitors"],"date_range":["2026-01-01","2026-01-02"],"dimensions":["event:page"],"filters":[["contains","event:page",["a"]]],"order_by":[["visitors","desc"]]}""", "application/json");
        yield return ("sites", "/api/sites", """{"domain":"hostile-site.test","timezone":"Etc/UTC","allowed_hostnames":["www.hostile-site.test"]}""", "application/json");
        yield return ("keys", "/api/keys", $$"""{"name":"hostile","sites":["{{site}}"],"permissions":["stats:read"]}""", "application/json");
        yield return ("share", $"/api/sites/{site}/shared-links", """{"name":"hostile"}""", "application/json");
    }

    /// <summary>Every route that names a site in its path, as a template with {d}.</summary>
    private static readonly (string Method, string Path, string? Query)[] SitePaths =
    [
        ("GET", "/api/sites/{d}", null), ("DELETE", "/api/sites/{d}", null), ("GET", "/api/sites/{d}/shared-links", null),
        ("POST", "/api/sites/{d}/shared-links", null), ("DELETE", "/api/sites/{d}/shared-links/abc", null),
        ("GET", "/api/sites/{d}/export/events.csv", "?from=2026-01-01&to=2026-01-02"),
        ("GET", "/api/sites/{d}/export/aggregates.csv", "?from=2026-01-01&to=2026-01-02"),
    ];

    /// <summary>
    /// The same classes for each endpoint the running host maps (method and route pattern), so endpoints added later
    /// are covered without being listed: every route parameter gets each odd value, every body-taking method an
    /// unpaired surrogate in JSON and in text/plain, every GET an odd site_id and control characters in returnUrl.
    /// </summary>
    public static IEnumerable<HostileRequest> ForEndpoints(IEnumerable<(string Method, string Pattern, bool OwnJson)> endpoints)
    {
        foreach (var (method, pattern, ownJson) in endpoints.Distinct())
        {
            var parameters = System.Text.RegularExpressions.Regex.Matches(pattern, @"\{\**([A-Za-z_]+)[^}]*\}").Select(m => m.Value).ToList();
            var values = parameters.Count == 0 ? [""] : OddDomains.Where(d => d.Length > 0).Select(Uri.EscapeDataString).Append("abc");
            // An odd value where a site is named can only be refused; other parameters (files, documents) may well exist.
            var namesSite = parameters.Any(p => p.Contains("domain", StringComparison.Ordinal));
            foreach (var value in values)
            {
                var path = parameters.Aggregate(pattern, (p, parameter) => p.Replace(parameter, value, StringComparison.Ordinal));
                var kind = $"endpoint:{method} {pattern}";
                if (method is "POST" or "PUT" or "PATCH")
                {
                    var json = $$"""{"domain":"{{Surrogate}}","site_id":"a","name":"{{Surrogate}}x","v":1}""";
                    foreach (var contentType in new[] { "application/json", "text/plain" })
                    {
                        foreach (var (body, type) in Encodings(json, contentType))
                        {
                            // An endpoint that reads its own JSON answers as its anchor documents (checked by the corpus test).
                            yield return new HostileRequest(kind, method, path) { Body = body, ContentType = type, MustReject = !ownJson };
                        }
                    }
                }
                else
                {
                    foreach (var odd in OddDomains.Select(Uri.EscapeDataString).Append("%ZZ").Append("%0d%0a"))
                    {
                        yield return new HostileRequest(kind, method, path, $"?site_id={odd}&returnUrl=%2F{odd}&ReturnUrl=%2F%01") { MustReject = namesSite && value != "abc" };
                    }
                }
            }
        }
    }

    /// <summary>
    /// The JSON as plain UTF-8, after a UTF-8 byte order mark, and as UTF-16 with the charset named: the framework's JSON
    /// binding reads all three, so a check of the body must see the same text in each.
    /// </summary>
    private static IEnumerable<(byte[] Body, string ContentType)> Encodings(string json, string contentType)
    {
        yield return (Encoding.UTF8.GetBytes(json), contentType);
        yield return ([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(json)], contentType);
        yield return (Encoding.Unicode.GetBytes(json), contentType + "; charset=utf-16");
    }

    public static IEnumerable<HostileRequest> Generate() =>
        LoneSurrogates().Concat(OddDomainRequests()).Concat(MissingMidnights()).Concat(ControlCharacterReturnUrls());

    private static IEnumerable<HostileRequest> LoneSurrogates()
    {
        // Inside the JSON the tracker sends as a string (props "p", revenue "$"): escaped once more.
        foreach (var field in new[] { "p", "$" })
        {
            yield return new HostileRequest("event:lone-surrogate-nested", "POST", "/api/event")
            {
                Body = Encoding.UTF8.GetBytes($$"""{"n":"Signup","u":"https://{{HostileCorpus.Site}}/","d":"{{HostileCorpus.Site}}","{{field}}":"{\"currency\":\"\\ud800\",\"plan\":\"x\"}"}"""),
                ContentType = "text/plain",
                MustReject = true,
            };
        }

        foreach (var (kind, path, body, contentType) in JsonEndpoints())
        {
            var leaves = Strings(JsonNode.Parse(body)!).Count();
            for (var i = 0; i < leaves; i++)
            {
                yield return new HostileRequest($"{kind}:lone-surrogate", "POST", path) { Body = Encoding.UTF8.GetBytes(WithSurrogate(body, i)), ContentType = contentType, MustReject = true };
            }

            // Its first string once more, encoded as a reader of the body may decode it.
            foreach (var (encoded, type) in Encodings(WithSurrogate(body, 0), contentType).Skip(1))
            {
                yield return new HostileRequest($"{kind}:lone-surrogate-encoded", "POST", path) { Body = encoded, ContentType = type, MustReject = true };
            }

            yield return new HostileRequest($"{kind}:lone-surrogate-name", "POST", path)
            {
                Body = Encoding.UTF8.GetBytes(body.TrimEnd('}') + $",\"{Surrogate}x\":1}}"), ContentType = contentType, MustReject = true,
            };
            yield return new HostileRequest($"{kind}:lone-surrogate-low", "POST", path)
            {
                Body = Encoding.UTF8.GetBytes(body.Replace("\"hostile", "\"\\udc00hostile", StringComparison.Ordinal).Replace("\"Signup", "\"\\udfffSignup", StringComparison.Ordinal).Replace("\"visitors\"]", "\"visitors\\udbff\"]", StringComparison.Ordinal)),
                ContentType = contentType,
            };
        }
    }

    /// <summary>The JSON with an unpaired surrogate escape at the end of its <paramref name="leaf"/>th string.</summary>
    private static string WithSurrogate(string json, int leaf)
    {
        var node = JsonNode.Parse(json)!;
        var value = Strings(node).ElementAt(leaf);
        const string marker = "\u0001marker\u0001";
        value.ReplaceWith(JsonValue.Create(value.GetValue<string>() + marker));
        // The escape is spliced in as raw text: a serializer would refuse to write it.
        return node.ToJsonString().Replace("\\u0001marker\\u0001", Surrogate, StringComparison.Ordinal);
    }

    private static IEnumerable<HostileRequest> OddDomainRequests()
    {
        foreach (var domain in OddDomains)
        {
            var segment = Uri.EscapeDataString(domain);
            // An empty segment is another route (the site list); a padded real domain is that domain, trimmed, by design.
            foreach (var (method, template, query) in domain.Length == 0 ? [] : SitePaths)
            {
                yield return new HostileRequest("domains:path", method, template.Replace("{d}", segment, StringComparison.Ordinal), query)
                {
                    Body = method == "POST" ? "{}"u8.ToArray() : null, ContentType = method == "POST" ? "application/json" : null, MustReject = true,
                };
            }

            var json = System.Text.Json.JsonSerializer.Serialize(domain);
            yield return new HostileRequest("domains:realtime", "GET", "/api/v1/realtime/visitors", "?site_id=" + segment) { MustReject = true };
            yield return Post("domains:query", "/api/v2/query", $$"""{"site_id":{{json}},"metrics":["visitors"],"date_range":"day"}""", mustReject: true);
            yield return Post("domains:sites", "/api/sites", $$"""{"domain":{{json}}}""", mustReject: true);
            yield return Post("domains:keys", "/api/keys", $$"""{"name":"k","sites":[{{json}}],"permissions":["stats:read"]}""", mustReject: true);
            yield return Post("domains:event", "/api/event", $$"""{"name":"pageview","url":"https://{{HostileCorpus.Site}}/","domain":{{json}}}""", mustReject: false);
        }
    }

    private static IEnumerable<HostileRequest> MissingMidnights()
    {
        foreach (var (domain, _, day) in ZoneSites)
        {
            var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var days = new[] { date.AddDays(-1), date, date.AddDays(1) }.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
            foreach (var from in days)
            {
                foreach (var to in days.Where(t => string.CompareOrdinal(t, from) >= 0))
                {
                    foreach (var file in new[] { "events.csv", "aggregates.csv?granularity=hour&", "aggregates.csv?granularity=day&" })
                    {
                        var (name, query) = file.Contains('?', StringComparison.Ordinal) ? (file[..file.IndexOf('?', StringComparison.Ordinal)], file[file.IndexOf('?', StringComparison.Ordinal)..]) : (file, "?");
                        yield return new HostileRequest("midnight:export", "GET", $"/api/sites/{domain}/export/{name}", $"{query}from={from}&to={to}");
                    }

                    yield return Post("midnight:query", "/api/v2/query", $$"""{"site_id":"{{domain}}","metrics":["visitors"],"date_range":["{{from}}","{{to}}"],"dimensions":["time:hour"]}""", mustReject: false);
                }
            }
        }
    }

    private static IEnumerable<HostileRequest> ControlCharacterReturnUrls()
    {
        foreach (var c in Enumerable.Range(0, 32).Append(127).Select(i => (char)i))
        {
            var url = "/dashboard/" + c + "x";
            yield return new HostileRequest("login:control-return", "GET", "/login", "?returnUrl=" + Uri.EscapeDataString(url));
            yield return Post("login:control-return", "/login", "email=a%40b.test&password=x&returnUrl=" + Uri.EscapeDataString(url), mustReject: true, "application/x-www-form-urlencoded");
        }
    }

    private static IEnumerable<JsonValue> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray a => a.SelectMany(v => v is null ? [] : Strings(v)),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v],
        _ => [],
    };

    private static HostileRequest Post(string kind, string path, string body, bool mustReject, string contentType = "application/json") =>
        new(kind, "POST", path) { Body = Encoding.UTF8.GetBytes(body), ContentType = contentType, MustReject = mustReject };
}
