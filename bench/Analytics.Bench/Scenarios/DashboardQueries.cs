using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Analytics.Bench.Scenarios;

/// <summary>The dashboard's queries as Stats API v2 bodies, and the equivalent SQL for PostgreSQL and ClickHouse.</summary>
public sealed record DashboardQuery(string Name, string StatsBody, string PostgresSql, string ClickHouseSql)
{
    public static IReadOnlyList<DashboardQuery> For(string site, DateOnly first, DateOnly last)
    {
        var from = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = last.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var pgWhere = $"website_id = '{site}' AND created_at >= '{from} 00:00:00+00' AND created_at < '{end} 00:00:00+00'";
        var chWhere = $"site_id = '{site}' AND timestamp >= toDateTime('{from} 00:00:00') AND timestamp < toDateTime('{end} 00:00:00')";
        string Body(string metrics, string dims = "[]", string filters = "[]", int limit = 10_000) =>
            "{\"site_id\":\"" + site + "\",\"metrics\":" + metrics + ",\"date_range\":[\"" + from + "\",\"" + to + "\"],\"dimensions\":" + dims
                + ",\"filters\":" + filters + ",\"pagination\":{\"limit\":" + limit.ToString(CultureInfo.InvariantCulture) + "}}";

        return
        [
            new("aggregate",
                Body("""["visitors","visits","pageviews","bounce_rate","visit_duration"]"""),
                $"""
                WITH s AS (SELECT session_id, count(*) FILTER (WHERE event_name = 'pageview') pv, count(*) FILTER (WHERE event_name <> 'pageview') ev,
                                  extract(epoch FROM max(created_at) - min(created_at)) dur
                           FROM website_event WHERE {pgWhere} GROUP BY session_id)
                SELECT (SELECT count(DISTINCT visitor_id) FROM website_event WHERE {pgWhere}), count(*), sum(pv),
                       round(100.0 * count(*) FILTER (WHERE pv <= 1 AND ev = 0) / count(*)), round(avg(dur)) FROM s
                """,
                $"""
                SELECT uniq(user_id), count(), sum(pv), round(100 * countIf(pv <= 1 AND ev = 0) / count()), round(avg(dur)) FROM
                (SELECT session_id, any(user_id) AS user_id, countIf(name = 'pageview') AS pv, countIf(name != 'pageview') AS ev,
                        max(timestamp) - min(timestamp) AS dur FROM events WHERE {chWhere} GROUP BY session_id)
                """),
            new("timeseries 30 days",
                Body("""["visitors","pageviews"]""", """["time:day"]"""),
                $"SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') d, count(DISTINCT visitor_id), count(*) FILTER (WHERE event_name = 'pageview') FROM website_event WHERE {pgWhere} GROUP BY 1 ORDER BY 1",
                $"SELECT toDate(timestamp) AS d, uniq(user_id), countIf(name = 'pageview') FROM events WHERE {chWhere} GROUP BY d ORDER BY d"),
            new("top pages",
                Body("""["visitors","pageviews"]""", """["event:page"]""", limit: 10),
                $"SELECT url_path, count(DISTINCT visitor_id) v, count(*) FROM website_event WHERE {pgWhere} AND event_name = 'pageview' GROUP BY url_path ORDER BY v DESC LIMIT 10",
                $"SELECT pathname, uniq(user_id) AS v, count() FROM events WHERE {chWhere} AND name = 'pageview' GROUP BY pathname ORDER BY v DESC LIMIT 10"),
            new("top sources",
                Body("""["visitors","visits"]""", """["visit:source"]""", limit: 10),
                $"SELECT source, count(DISTINCT visitor_id) v, count(DISTINCT session_id) FROM website_event WHERE {pgWhere} GROUP BY source ORDER BY v DESC LIMIT 10",
                $"SELECT referrer_source, uniq(user_id) AS v, uniq(session_id) FROM events WHERE {chWhere} GROUP BY referrer_source ORDER BY v DESC LIMIT 10"),
            new("filtered breakdown (pages containing /blog)",
                Body("""["visitors","pageviews"]""", """["event:page"]""", """[["contains","event:page",["/blog"]]]""", limit: 10),
                $"SELECT url_path, count(DISTINCT visitor_id) v, count(*) FROM website_event WHERE {pgWhere} AND event_name = 'pageview' AND url_path ILIKE '%/blog%' GROUP BY url_path ORDER BY v DESC LIMIT 10",
                $"SELECT pathname, uniq(user_id) AS v, count() FROM events WHERE {chWhere} AND name = 'pageview' AND positionCaseInsensitive(pathname, '/blog') > 0 GROUP BY pathname ORDER BY v DESC LIMIT 10"),
        ];
    }

    /// <summary>
    /// Runs the Stats API query once; returns elapsed ms and the first row's metrics (for the cross-check). A non-zero
    /// <paramref name="variant"/> changes the page size by that much: the same work, but a question the result cache has
    /// not seen, so the answer is computed from the segments (whose partials may be cached: the page size is not part of
    /// them). A non-zero <paramref name="unseen"/> adds a filter that excludes nothing but was never asked before
    /// (event:hostname is_not an invalid name, numbered), so that every segment scans again.
    /// </summary>
    public async Task<(double Ms, string FirstRow)> RunOursAsync(HttpClient http, int variant = 0, int unseen = 0)
    {
        var body = StatsBody;
        if (variant != 0 || unseen != 0)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(StatsBody)!;
            var limit = json["pagination"]!["limit"]!.GetValue<int>();
            json["pagination"]!["limit"] = limit > 5_000 ? limit - variant : limit + variant; // the API allows up to 10,000
            if (unseen != 0)
            {
                json["filters"] ??= new System.Text.Json.Nodes.JsonArray();
                json["filters"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse(
                    "[\"is_not\",\"event:hostname\",[\"unseen-" + unseen.ToString(CultureInfo.InvariantCulture) + ".invalid\"]]"));
            }

            body = json.ToJsonString();
        }

        var sw = Stopwatch.StartNew();
        using var response = await http.PostAsync("api/v2/query", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var ms = sw.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"query '{Name}' answered {(int)response.StatusCode}: {text}");
        }

        using var doc = JsonDocument.Parse(text);
        var results = doc.RootElement.GetProperty("results");
        return (ms, results.GetArrayLength() == 0 ? "(no rows)" : results[0].GetRawText());
    }
}

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
