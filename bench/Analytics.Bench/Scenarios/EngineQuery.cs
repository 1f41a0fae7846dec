using System.Globalization;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// The query engine's questions (issue 14) as Stats API v2 bodies and as SQL over the peers' two tables (events carrying
/// their session's source and entry page, as Plausible's events table does, and sessions), with the same semantics:
/// events count by their time, sessions by their start, visitors over the matching events. PostgreSQL and DuckDB share
/// standard SQL unless a dialect differs (regex); ClickHouse 18.16 has its own.
/// </summary>
public sealed record EngineQuery(string Name, string StatsBody, string PostgresSql, string ClickHouseSql, string DuckDbSql)
{
    public const string RegexPattern = "^/(blog|docs)/[a-z]+-1[0-9]*$";

    public DashboardQuery Ours => new(Name, StatsBody, PostgresSql, ClickHouseSql);

    public static IReadOnlyList<EngineQuery> For(string site, DateOnly first, DateOnly last)
    {
        var from = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = last.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // M: the site's non-engagement events in range; S: its sessions started in range.
        var m = $"site = '{site}' AND ts >= TIMESTAMP '{from} 00:00:00' AND ts < TIMESTAMP '{end} 00:00:00' AND name <> 'engagement'";
        var s = $"site = '{site}' AND start >= TIMESTAMP '{from} 00:00:00' AND start < TIMESTAMP '{end} 00:00:00'";
        var chM = $"site = '{site}' AND ts >= toDateTime('{from} 00:00:00') AND ts < toDateTime('{end} 00:00:00') AND name != 'engagement'";
        var chS = $"site = '{site}' AND start >= toDateTime('{from} 00:00:00') AND start < toDateTime('{end} 00:00:00')";
        string Body(string metrics, string dims = "[]", string filters = "[]", int limit = 10) =>
            "{\"site_id\":\"" + site + "\",\"metrics\":" + metrics + ",\"date_range\":[\"" + from + "\",\"" + to + "\"],\"dimensions\":" + dims
                + ",\"filters\":" + filters + ",\"pagination\":{\"limit\":" + limit.ToString(CultureInfo.InvariantCulture) + "}}";
        string Pages(string where) =>
            $"SELECT page, count(DISTINCT visitor) AS v, count(*) FILTER (WHERE name = 'pageview') AS pv FROM events WHERE {m}{where} GROUP BY page ORDER BY v DESC, page LIMIT 10";
        string ChPages(string where) =>
            $"SELECT page, uniq(visitor) AS v, countIf(name = 'pageview') AS pv FROM events WHERE {chM}{where} GROUP BY page ORDER BY v DESC, page LIMIT 10";
        EngineQuery Same(string name, string body, string sql, string ch) => new(name, body, sql, ch, sql);

        return
        [
            Same("aggregate",
                Body("""["visitors","visits","pageviews","bounce_rate","visit_duration"]"""),
                $"""
                SELECT (SELECT count(DISTINCT visitor) FROM events WHERE {m}), count(*),
                       (SELECT count(*) FROM events WHERE {m} AND name = 'pageview'),
                       round(100.0 * sum(CASE WHEN bounce THEN 1 ELSE 0 END) / count(*)), round(avg(duration_us) / 1000000.0)
                FROM sessions WHERE {s}
                """,
                $"""
                SELECT (SELECT uniq(visitor) FROM events WHERE {chM}), count(), (SELECT count() FROM events WHERE {chM} AND name = 'pageview'),
                       round(100 * sum(bounce) / count()), round(avg(duration_us) / 1000000) FROM sessions WHERE {chS}
                """),
            Same("timeseries 30 days",
                Body("""["visitors","pageviews"]""", """["time:day"]""", limit: 100),
                $"SELECT CAST(ts AS DATE) AS d, count(DISTINCT visitor), count(*) FILTER (WHERE name = 'pageview') FROM events WHERE {m} GROUP BY 1 ORDER BY 1",
                $"SELECT toDate(ts) AS d, uniq(visitor), countIf(name = 'pageview') FROM events WHERE {chM} GROUP BY d ORDER BY d"),
            Same("top pages", Body("""["visitors","pageviews"]""", """["event:page"]"""), Pages(string.Empty), ChPages(string.Empty)),
            Same("top sources",
                Body("""["visitors","visits"]""", """["visit:source"]"""),
                $"""
                SELECT v.source, v.visitors, s.visits FROM
                  (SELECT source, count(DISTINCT visitor) AS visitors FROM events WHERE {m} GROUP BY source) v
                  JOIN (SELECT source, count(*) AS visits FROM sessions WHERE {s} GROUP BY source) s ON s.source = v.source
                ORDER BY v.visitors DESC, v.source LIMIT 10
                """,
                $"""
                SELECT source, visitors, visits FROM
                  (SELECT source, uniq(visitor) AS visitors FROM events WHERE {chM} GROUP BY source)
                  ALL INNER JOIN (SELECT source, count() AS visits FROM sessions WHERE {chS} GROUP BY source) USING source
                ORDER BY visitors DESC, source LIMIT 10
                """),
            Same("pages containing /blog",
                Body("""["visitors","pageviews"]""", """["event:page"]""", """[["contains","event:page",["/blog"]]]"""),
                Pages(" AND page LIKE '%/blog%'"), ChPages(" AND page LIKE '%/blog%'")),
            Same("pages from Google",
                Body("""["visitors","pageviews"]""", """["event:page"]""", """[["is","visit:source",["Google"]]]"""),
                Pages(" AND source = 'Google'"), ChPages(" AND source = 'Google'")),
            Same("source x entry page",
                Body("""["visitors","visits"]""", """["visit:source","visit:entry_page"]"""),
                $"""
                SELECT v.source, v.entry_page, v.visitors, s.visits FROM
                  (SELECT source, entry_page, count(DISTINCT visitor) AS visitors FROM events WHERE {m} GROUP BY source, entry_page) v
                  JOIN (SELECT source, entry_page, count(*) AS visits FROM sessions WHERE {s} GROUP BY source, entry_page) s
                    ON s.source = v.source AND s.entry_page = v.entry_page
                ORDER BY v.visitors DESC, v.source, v.entry_page LIMIT 10
                """,
                $"""
                SELECT source, entry_page, visitors, visits FROM
                  (SELECT source, entry_page, uniq(visitor) AS visitors FROM events WHERE {chM} GROUP BY source, entry_page)
                  ALL INNER JOIN (SELECT source, entry_page, count() AS visits FROM sessions WHERE {chS} GROUP BY source, entry_page) USING (source, entry_page)
                ORDER BY visitors DESC, source, entry_page LIMIT 10
                """),
            Same("props breakdown (plan)",
                Body("""["visitors","events"]""", """["event:props:plan"]"""),
                $"SELECT CASE WHEN prop_key = 'plan' THEN prop_value ELSE '(none)' END AS p, count(DISTINCT visitor) AS v, count(*) FROM events WHERE {m} GROUP BY 1 ORDER BY v DESC, p LIMIT 10",
                $"SELECT if(prop_key = 'plan', prop_value, '(none)') AS p, uniq(visitor) AS v, count() FROM events WHERE {chM} GROUP BY p ORDER BY v DESC, p LIMIT 10"),
            new("regex page filter",
                Body("""["visitors","pageviews"]""", """["event:page"]""", "[[\"matches\",\"event:page\",[\"" + RegexPattern + "\"]]]"),
                Pages($" AND page ~ '{RegexPattern}'"),
                ChPages($" AND match(page, '{RegexPattern}')"),
                Pages($" AND regexp_matches(page, '{RegexPattern}')")),
            Same("bounce rate of visits that saw /pricing",
                Body("""["visits","bounce_rate"]""", filters: """[["is","event:page",["/pricing"]]]"""),
                $"SELECT count(*), round(100.0 * sum(CASE WHEN bounce THEN 1 ELSE 0 END) / count(*)) FROM sessions WHERE {s} AND session_id IN (SELECT session FROM events WHERE {m} AND page = '/pricing')",
                $"SELECT count(), round(100 * sum(bounce) / count()) FROM sessions WHERE {chS} AND session_id IN (SELECT session FROM events WHERE {chM} AND page = '/pricing')"),
        ];
    }
}
