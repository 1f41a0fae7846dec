namespace Analytics.Tests.Differential;

/// <summary>
/// The session rules of SEMANTICS14.md written independently in SQL over the raw events table <c>ev</c>, with window
/// functions per site and visitor in delivery order:
/// <list type="bullet">
/// <item>a late event (older than an event delivered before it) forms its own session, sessionized as if alone;</item>
/// <item>among the others, a gap of more than 30 minutes starts a new group; in a group, the session starts at the first
/// pageview or custom event (engagement before it has no session);</item>
/// <item>a session still going 1 h after the end of its start's UTC day ends there: the rest of the group is sessionized again;</item>
/// <item>attributes, entry page and hostname from the session's first event; exit page from its last pageview; end = its last
/// event (engagement included); a bounce has at most one pageview and no interactive custom event.</item>
/// </list>
/// Produces <c>sess</c> (one row per session) and <c>evx</c> (every event with its session's columns as s_*, null without one).
/// </summary>
public static class SessionizationSql
{
    public const string Schema = """
        CREATE TABLE ev (
            site text NOT NULL, visitor text NOT NULL, arrival int NOT NULL, id uuid NOT NULL, ts timestamptz NOT NULL,
            name text NOT NULL, pathname text NOT NULL, hostname text NOT NULL, referrer text, source text NOT NULL,
            utm_source text, utm_medium text, utm_campaign text, utm_content text, utm_term text,
            country text NOT NULL, region text, city text, device text NOT NULL, browser text NOT NULL, browser_version text NOT NULL,
            os text NOT NULL, os_version text NOT NULL, screen text, interactive boolean NOT NULL, engagement_ms bigint NOT NULL,
            scroll_depth int, props jsonb, revenue numeric, currency text);
        """;

    public const string Sessionize = """
        CREATE TABLE ev1 AS
        SELECT e.*, coalesce(e.ts < max(e.ts) OVER (PARTITION BY site, visitor ORDER BY arrival ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS late
        FROM ev e;

        CREATE TABLE ev2 AS
        SELECT x.*, sum(brk) OVER (PARTITION BY site, visitor ORDER BY arrival) AS grp
        FROM (SELECT e.*, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > interval '30 minutes' THEN 1 ELSE 0 END AS brk
              FROM ev1 e WHERE NOT late WINDOW w AS (PARTITION BY site, visitor ORDER BY arrival)) x;

        CREATE TABLE ev3 AS
        SELECT y.*, CASE WHEN g_start IS NOT NULL
                         AND ts >= (date_trunc('day', g_start AT TIME ZONE 'UTC') + interval '25 hours') AT TIME ZONE 'UTC' THEN 1 ELSE 0 END AS part
        FROM (SELECT e.*, min(ts) FILTER (WHERE name <> 'engagement') OVER (PARTITION BY site, visitor, grp) AS g_start FROM ev2 e) y;

        CREATE TABLE ev4 AS
        SELECT z.*, CASE WHEN p_start IS NOT NULL AND ts >= p_start THEN site || '|' || visitor || '|' || grp || '|' || part END AS sid
        FROM (SELECT e.*, min(ts) FILTER (WHERE name <> 'engagement') OVER (PARTITION BY site, visitor, grp, part) AS p_start FROM ev3 e) z;

        CREATE TABLE evs AS
        SELECT site, visitor, arrival, sid FROM ev4
        UNION ALL
        SELECT site, visitor, arrival, CASE WHEN name <> 'engagement' THEN site || '|' || visitor || '|late|' || arrival END FROM ev1 WHERE late;

        CREATE TABLE sess AS
        WITH parts AS (
            SELECT s.sid, e.*, row_number() OVER (PARTITION BY s.sid ORDER BY e.ts, e.arrival) AS n
            FROM evs s JOIN ev e USING (site, visitor, arrival) WHERE s.sid IS NOT NULL)
        SELECT f.sid, f.site, f.visitor, f.ts AS start, agg.last_ts AS "end",
               f.pathname AS entry_page, coalesce(agg.exit_page, f.pathname) AS exit_page, f.hostname AS entry_page_hostname,
               agg.pageviews, agg.events, (agg.pageviews <= 1 AND NOT agg.interacted) AS bounce,
               f.source, f.referrer, f.utm_source, f.utm_medium, f.utm_campaign, f.utm_content, f.utm_term,
               f.device, f.browser, f.browser_version, f.os, f.os_version, f.country, f.region, f.city, f.screen
        FROM parts f
        JOIN (SELECT sid, max(ts) AS last_ts,
                     (array_agg(pathname ORDER BY ts DESC, arrival DESC) FILTER (WHERE name = 'pageview'))[1] AS exit_page,
                     count(*) FILTER (WHERE name = 'pageview') AS pageviews,
                     count(*) FILTER (WHERE name <> 'engagement') AS events,
                     coalesce(bool_or(interactive AND name NOT IN ('pageview', 'engagement')), false) AS interacted
              FROM parts GROUP BY sid) agg USING (sid)
        WHERE f.n = 1;

        CREATE UNIQUE INDEX ON sess (sid);

        CREATE TABLE evx AS
        SELECT e.*, s.sid, x.start AS s_start, x.entry_page AS s_entry_page, x.exit_page AS s_exit_page,
               x.entry_page_hostname AS s_entry_page_hostname, x.source AS s_source, x.referrer AS s_referrer,
               x.utm_source AS s_utm_source, x.utm_medium AS s_utm_medium, x.utm_campaign AS s_utm_campaign,
               x.utm_content AS s_utm_content, x.utm_term AS s_utm_term, x.device AS s_device, x.browser AS s_browser,
               x.browser_version AS s_browser_version, x.os AS s_os, x.os_version AS s_os_version, x.country AS s_country,
               x.region AS s_region, x.city AS s_city, x.screen AS s_screen
        FROM ev e JOIN evs s USING (site, visitor, arrival) LEFT JOIN sess x ON x.sid = s.sid;

        CREATE INDEX ON evx (sid);
        CREATE INDEX ON evx (site, ts);
        ANALYZE sess;
        ANALYZE evx;
        """;

    /// <summary>
    /// Invariants the generator must keep for the SQL above to be the whole rule (each query answers 0 when they hold):
    /// no session reaches past its own cutoff (a second cutoff split), and every late event is older than the start of the
    /// session its visitor was in when it arrived.
    /// </summary>
    public static readonly IReadOnlyList<(string What, string Sql)> Invariants =
    [
        ("sessions running past their cutoff after a split", """
            SELECT count(*) FROM sess WHERE "end" >= (date_trunc('day', start AT TIME ZONE 'UTC') + interval '25 hours') AT TIME ZONE 'UTC'
            """),
        ("late events not older than the current session's start", """
            SELECT count(*) FROM ev1 l
            WHERE l.late AND l.ts >= (SELECT max(p_start) FROM ev4 c WHERE c.site = l.site AND c.visitor = l.visitor AND c.arrival < l.arrival AND c.sid IS NOT NULL)
            """),
    ];
}
