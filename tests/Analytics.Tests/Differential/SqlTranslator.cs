using System.Globalization;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Differential;

/// <summary>
/// A <see cref="DifferentialQuery"/> as SQL over <c>evx</c>/<c>sess</c>, written from SEMANTICS14.md alone:
/// M = non-engagement events in range passing the filter tree (visit:* leaves read the event's session, has_done asks
/// whether the session has a matching event); S = sessions starting in range with an event in M, counted in each group
/// in which they have an M event (session time buckets by their start); E = engagement events of a session, in range,
/// passing the tree: time_on_page is their time over the visits they belong to, scroll_depth the mean of each visit's
/// deepest scroll; revenue is Purchase's (the one revenue goal, in euros; dollars at 1 / EURUSD). A row exists where a side the requested
/// metrics read (M, S or E) has a group. Rows have key columns k0..kN and exact metric columns named after the metrics
/// (rounding is left to the comparison).
/// </summary>
public static class SqlTranslator
{
    public static string Translate(DifferentialQuery query)
    {
        var zone = query.Site.Timezone;
        var from = query.Range.SqlFrom(zone);
        var to = query.Range.SqlTo(zone);
        var dims = query.Dimensions;
        var keys = string.Concat(dims.Select((_, i) => $", k{i}"));
        var groupBy = dims.Count == 0 ? "" : "GROUP BY " + string.Join(", ", dims.Select((_, i) => $"k{i}"));
        var predicate = Predicate(query.Filters.Count == 0 ? null : new AndFilter(query.Filters), "x", $"{{0}}.ts >= {from} AND {{0}}.ts < {to}");
        // Conversion rates divide by the same question without its top-level event:goal and event:props:* leaves.
        var unconverted = query.Filters.Where(f => f is not DimensionFilter { Dimension: var d } || !(d == "event:goal" || d.StartsWith("event:props:", StringComparison.Ordinal))).ToList();
        var denominator = Predicate(unconverted.Count == 0 ? null : new AndFilter(unconverted), "x", $"{{0}}.ts >= {from} AND {{0}}.ts < {to}");
        var eventKeys = string.Concat(dims.Select((d, i) => $", {Key(d, "x", "x.ts", query)} AS k{i}"));
        var sessionKeys = string.Concat(dims.Select((d, i) => IsTime(d) ? $", {Bucket(d, "s.start", query)} AS k{i}" : $", m.k{i}"));
        var dollarsInEuros = (1 / Catalog.EurUsd).ToString(CultureInfo.InvariantCulture);
        var omitted = dims.Select((d, i) => (d, i)).Where(p => p.d.StartsWith("visit:", StringComparison.Ordinal) || p.d is "event:goal" or "event:name")
            .Select(p => $"k{p.i} <> ''").ToList();

        // A row exists where a side the metrics read has a group: events (M), sessions (S), engagement (E).
        var sides = new List<string>();
        if (query.Metrics.Any(m => m is MetricNames.Visitors or MetricNames.Pageviews or MetricNames.Events or MetricNames.Percentage
            or MetricNames.TotalRevenue or MetricNames.AverageRevenue or MetricNames.ConversionRate or MetricNames.GroupConversionRate))
        {
            sides.Add("em");
        }

        // "Grouping with only visit dimensions: rows of S grouped by the session's values", whatever the metrics.
        if (query.Metrics.Any(m => m is MetricNames.Visits or MetricNames.BounceRate or MetricNames.VisitDuration or MetricNames.ViewsPerVisit)
            || (dims.Count > 0 && dims.All(d => d.StartsWith("visit:", StringComparison.Ordinal))))
        {
            sides.Add("sm");
        }

        if (query.Metrics.Any(m => m is MetricNames.TimeOnPage or MetricNames.ScrollDepth))
        {
            sides.Add("gm");
        }

        string Side(string side, string expression) => sides.Contains(side) ? expression : "0";
        var labels = dims.Select((d, i) => d == "time:hour"
            ? $"to_char((k{i}::timestamp AT TIME ZONE 'UTC') AT TIME ZONE {Literal(zone)}, 'YYYY-MM-DD HH24:MI:SS') AS k{i}"
            : $"k{i}");

        return $"""
            WITH m AS (
                SELECT x.visitor, x.name, x.revenue * CASE x.currency WHEN 'USD' THEN {dollarsInEuros} ELSE 1 END AS revenue, x.sid{eventKeys}
                FROM evx x WHERE x.site = {Literal(query.Site.Domain)} AND x.name <> 'engagement' AND x.ts >= {from} AND x.ts < {to} AND {predicate}),
            em AS (
                SELECT 0 AS kz{keys}, count(DISTINCT visitor) AS visitors, count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events,
                       sum(revenue) AS revenue_sum, avg(revenue) AS revenue_avg
                FROM m {groupBy}),
            sg AS (
                SELECT DISTINCT m.sid{sessionKeys} FROM m JOIN sess s ON s.sid = m.sid WHERE s.start >= {from} AND s.start < {to}),
            sm AS (
                SELECT 0 AS kz{keys}, count(*) AS visits, sum(s.bounce::int) AS bounces, sum(extract(epoch FROM s."end" - s.start)) AS duration,
                       sum(s.pageviews) AS session_pageviews
                FROM sg JOIN sess s ON s.sid = sg.sid {groupBy}),
            gv AS (
                SELECT sid{keys}, sum(engagement_ms) AS engaged_ms, max(scroll_depth) FILTER (WHERE scroll_depth BETWEEN 0 AND 100) AS deepest
                FROM (SELECT x.sid, x.engagement_ms, x.scroll_depth{eventKeys}
                      FROM evx x WHERE x.site = {Literal(query.Site.Domain)} AND x.name = 'engagement' AND x.ts >= {from} AND x.ts < {to}
                        AND x.sid IS NOT NULL AND {predicate}) e GROUP BY sid{keys}),
            gm AS (
                SELECT 0 AS kz{keys}, sum(engaged_ms) AS engaged_ms, count(*) AS engaged_visits, avg(deepest) AS scroll
                FROM gv {groupBy}),
            total AS (SELECT count(DISTINCT visitor) AS visitors FROM m),
            mc AS (
                SELECT x.visitor{eventKeys}
                FROM evx x WHERE x.site = {Literal(query.Site.Domain)} AND x.name <> 'engagement' AND x.ts >= {from} AND x.ts < {to} AND {denominator}),
            gc AS (SELECT 0 AS kz{keys}, count(DISTINCT visitor) AS visitors FROM mc {groupBy}),
            ctotal AS (SELECT count(DISTINCT visitor) AS visitors FROM mc)
            SELECT {string.Join(", ", labels.Append("0 AS kz0"))},
                {Side("em", "coalesce(em.visitors, 0)")} AS visitors,
                {Side("sm", "coalesce(sm.visits, 0)")} AS visits,
                {Side("em", "coalesce(em.pageviews, 0)")} AS pageviews,
                {Side("em", "coalesce(em.events, 0)")} AS events,
                {Side("sm", "CASE WHEN sm.visits > 0 THEN 100.0 * sm.bounces / sm.visits ELSE 0 END")} AS bounce_rate,
                {Side("sm", "CASE WHEN sm.visits > 0 THEN sm.duration / sm.visits ELSE 0 END")} AS visit_duration,
                {Side("sm", "CASE WHEN sm.visits > 0 THEN 1.0 * sm.session_pageviews / sm.visits ELSE 0 END")} AS views_per_visit,
                {Side("em", "CASE WHEN (SELECT visitors FROM total) > 0 THEN 100.0 * coalesce(em.visitors, 0) / (SELECT visitors FROM total) ELSE 0 END")} AS percentage,
                {Side("em", "coalesce(em.revenue_sum, 0)")} AS total_revenue,
                {Side("em", "coalesce(em.revenue_avg, 0)")} AS average_revenue,
                {Side("gm", "CASE WHEN gm.engaged_visits > 0 THEN gm.engaged_ms / 1000.0 / gm.engaged_visits ELSE 0 END")} AS time_on_page,
                {Side("gm", "coalesce(gm.scroll, 0)")} AS scroll_depth,
                {Side("em", "CASE WHEN (SELECT visitors FROM ctotal) > 0 THEN 100.0 * coalesce(em.visitors, 0) / (SELECT visitors FROM ctotal) ELSE 0 END")} AS conversion_rate,
                {Side("em", "CASE WHEN gc.visitors > 0 THEN 100.0 * coalesce(em.visitors, 0) / gc.visitors ELSE 0 END")} AS group_conversion_rate
            FROM {sides[0]}{string.Concat(sides.Skip(1).Select(side => $" FULL JOIN {side} USING (kz{keys})"))}{(sides.Contains("em") ? $" LEFT JOIN gc USING (kz{keys})" : "")}
            {(omitted.Count == 0 ? "" : "WHERE " + string.Join(" AND ", omitted))}
            """;
    }

    private static bool IsTime(string dimension) => dimension.StartsWith("time:", StringComparison.Ordinal);

    /// <summary>A row's value of a dimension: the event's own for event:*, its session's for visit:* ("" without one).</summary>
    private static string Key(string dimension, string alias, string time, DifferentialQuery query) => dimension switch
    {
        _ when IsTime(dimension) => Bucket(dimension, time, query),
        _ => Value(dimension, alias),
    };

    private static string Value(string dimension, string alias) => dimension switch
    {
        "event:page" => $"{alias}.pathname",
        "event:hostname" => $"{alias}.hostname",
        // Custom events by name; a pageview is not a goal.
        "event:goal" or "event:name" => $"(CASE WHEN {alias}.name IN ('pageview', 'engagement') THEN '' ELSE {alias}.name END)",
        _ when dimension.StartsWith("event:props:", StringComparison.Ordinal) =>
            $"coalesce({alias}.props ->> {Literal(dimension["event:props:".Length..])}, '(none)')",
        _ when dimension.StartsWith("visit:", StringComparison.Ordinal) => $"coalesce({alias}.s_{dimension["visit:".Length..]}, '')",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "no column for it"),
    };

    /// <summary>Local time buckets: hours are UTC hours labelled in local time; weeks (Monday) and months never before the range's first day.</summary>
    private static string Bucket(string dimension, string time, DifferentialQuery query)
    {
        var zone = Literal(query.Site.Timezone);
        var first = query.Range.SqlFirstLocalDay(query.Site.Timezone);
        return dimension switch
        {
            // Grouped by UTC hour (a DST fall-back repeats a local label: two rows), labelled in local time by Label.
            "time:hour" => $"to_char(date_trunc('hour', {time} AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')",
            "time:day" => $"to_char({time} AT TIME ZONE {zone}, 'YYYY-MM-DD')",
            "time:week" => $"to_char(greatest(date_trunc('week', {time} AT TIME ZONE {zone}), {first}), 'YYYY-MM-DD')",
            "time:month" => $"to_char(greatest(date_trunc('month', {time} AT TIME ZONE {zone}), {first}), 'YYYY-MM-DD')",
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a time dimension"),
        };
    }

    /// <summary>
    /// The tree over the row <paramref name="alias"/>; <paramref name="inRange"/> ("{0}" the alias) bounds has_done to the
    /// session's events in range (the engine's reading: SEMANTICS says only "the session has an event matching it").
    /// </summary>
    private static string Predicate(FilterExpression? filter, string alias, string inRange) => filter switch
    {
        null => "true",
        AndFilter and => "(" + string.Join(" AND ", and.Operands.Select(o => Predicate(o, alias, inRange))) + ")",
        OrFilter or => "(" + string.Join(" OR ", or.Operands.Select(o => Predicate(o, alias, inRange))) + ")",
        NotFilter not => $"(NOT {Predicate(not.Operand, alias, inRange)})",
        HasDoneFilter done => $"({(done.Negated ? "NOT " : "")}EXISTS (SELECT 1 FROM evx {alias}h WHERE {alias}h.sid = {alias}.sid AND {alias}h.name <> 'engagement' AND "
            + string.Format(CultureInfo.InvariantCulture, inRange, alias + "h") + $" AND {Predicate(done.EventFilter, alias + "h", inRange)}))",
        // event:goal selects configured goals (every custom event name is one; a pageview completes none); event:name
        // reads the name as it is ("pageview" included).
        DimensionFilter { Dimension: "event:goal" } leaf => GoalLeaf(leaf, alias),
        DimensionFilter leaf => Leaf(leaf, leaf.Dimension is "event:name" ? $"{alias}.name" : Value(leaf.Dimension, alias)),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
    };

    /// <summary>A goal leaf: the event completes a goal the leaf's test selects; negated, it completes none of them.</summary>
    private static string GoalLeaf(DimensionFilter leaf, string alias)
    {
        var negated = leaf.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot;
        var positive = leaf with
        {
            Operator = leaf.Operator switch
            {
                FilterOperator.IsNot => FilterOperator.Is,
                FilterOperator.ContainsNot => FilterOperator.Contains,
                FilterOperator.MatchesNot => FilterOperator.Matches,
                var op => op,
            },
        };
        var completes = $"({alias}.name NOT IN ('pageview', 'engagement') AND {Leaf(positive, $"{alias}.name")})";
        return negated ? $"(NOT {completes})" : completes;
    }

    private static string Leaf(DimensionFilter leaf, string value)
    {
        var subject = leaf.CaseSensitive ? value : $"lower({value})";
        string Operand(string v) => leaf.CaseSensitive ? Literal(v) : $"lower({Literal(v)})";
        var any = leaf.Operator switch
        {
            FilterOperator.Is or FilterOperator.IsNot => $"{subject} IN ({string.Join(", ", leaf.Values.Select(Operand))})",
            FilterOperator.Contains or FilterOperator.ContainsNot => string.Join(" OR ", leaf.Values.Select(v => $"strpos({subject}, {Operand(v)}) > 0")),
            _ => string.Join(" OR ", leaf.Values.Select(v => $"{value} {(leaf.CaseSensitive ? "~" : "~*")} {Literal(v)}")),
        };
        return leaf.Operator is FilterOperator.IsNot or FilterOperator.ContainsNot or FilterOperator.MatchesNot ? $"(NOT ({any}))" : $"({any})";
    }

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
