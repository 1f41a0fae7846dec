using System.Globalization;
using System.Text.Json;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Query;

/// <summary>
/// Validates a Plausible Stats API v2 body (its JSON schema in plausible/analytics is the reference) and resolves it for
/// one site into a <see cref="StatsQuery"/>: metrics, any number of dimensions plus at most one time dimension, a filter
/// tree (<see cref="FilterParser"/>), the range as UTC instants, order, pagination and include. Every mistake is a
/// <see cref="QueryValidationException"/> (400) naming the key, value or operator at fault.
/// </summary>
public static class StatsQueryParser
{
    public const int MaxLimit = 10_000;

    /// <summary>The most day segments × dimensions × metrics one query (comparison included) may ask for (<see cref="CheckWork"/>).</summary>
    public const int MaxWork = 40_000;

    public static readonly IReadOnlyList<string> Keys = ["site_id", "metrics", "date_range", "date", "dimensions", "filters", "order_by", "pagination", "include"];

    public static readonly IReadOnlyList<string> IncludeKeys = ["total_rows", "time_labels", "comparisons", "imports"];

    public static readonly IReadOnlyList<string> Metrics =
        [.. MetricNames.All, MetricNames.Percentage, MetricNames.TotalRevenue, MetricNames.AverageRevenue, .. GoalQueries.Metrics];

    /// <summary>The site id of a body, read first so the caller can look the site up.</summary>
    public static string ReadSiteId(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("site_id", out var site) && site.ValueKind == JsonValueKind.String
            && site.GetString() is { Length: > 0 } id
            ? id
            : throw new QueryValidationException("site_id is required: the domain of a registered site.");

    public static StatsRequest Parse(JsonElement root, SiteSettings site, DateTime nowUtc)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException("The body must be a JSON object.");
        }

        Unknown(root, Keys, "key");
        var metrics = ReadMetrics(root);
        var dimensions = StringArray(root, "dimensions", required: false);
        var times = dimensions.Where(QueryDimensions.IsTime).ToList();
        if (times.Count > 1)
        {
            throw new QueryValidationException($"At most one time dimension ({string.Join(", ", QueryDimensions.TimeDimensions)}) is allowed per query.");
        }

        var canonical = dimensions.Select(d => QueryDimensions.IsTime(d) ? d : QueryDimensions.Validate(d, "dimension")).ToList();
        if (canonical.Distinct(StringComparer.Ordinal).Count() != canonical.Count)
        {
            throw new QueryValidationException("dimensions must not name a dimension twice.");
        }

        var filter = FilterParser.Parse(root);
        GoalQueries.Validate(metrics, canonical, filter);
        var zone = TimeZones.Find(site.Timezone);
        var today = Today(root, zone, nowUtc);
        var createdOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(site.CreatedAt, zone));
        if (!root.TryGetProperty("date_range", out var range))
        {
            throw new QueryValidationException("date_range is required.");
        }

        // "time" as today's dashboard reads it: hours for a day, days otherwise.
        var time = times.FirstOrDefault() is QueryDimensions.Time
            ? (range.ValueKind == JsonValueKind.String && range.GetString() == "day" ? QueryDimensions.Hour : QueryDimensions.Day)
            : times.FirstOrDefault();
        var hourly = time == QueryDimensions.Hour;
        var (fromUtc, toUtc) = DateRangeResolver.ResolveUtc(range, zone, today, createdOn, hourly, out var instants);
        var shape = canonical.Select(d => d == QueryDimensions.Time ? time! : d).ToList();
        var (limit, offset) = Pagination(root);
        var query = new StatsQuery
        {
            Site = site.SiteKey,
            Metrics = metrics,
            Dimensions = shape,
            FromUtc = fromUtc,
            ToUtc = toUtc,
            Timezone = site.Timezone,
            Filter = filter,
            OrderBy = OrderBy(root, metrics, shape, time),
            Limit = limit,
            Offset = offset,
        };

        var include = Include(root, time);
        (StatsQuery Query, bool Instants)? comparison = include.Comparisons is { } comparisons ? Comparison(comparisons, query, zone, today, createdOn, hourly, instants) : null;
        CheckWork(query, comparison);
        return new StatsRequest
        {
            Query = query,
            DateRange = Echo(query, hourly || instants),
            TimeLabels = include.TimeLabels,
            Imports = include.Imports,
            Comparison = comparison?.Query,
            ComparisonDateRange = comparison is { } c ? Echo(c.Query, hourly || c.Instants) : null,
        };
    }

    private static List<string> ReadMetrics(JsonElement root)
    {
        var metrics = StringArray(root, "metrics", required: true);
        if (metrics.Count == 0)
        {
            throw new QueryValidationException("metrics must name at least one metric.");
        }

        foreach (var metric in metrics.Where(m => !Metrics.Contains(m)))
        {
            throw new QueryValidationException($"Unknown metric '{metric}'; supported: {string.Join(", ", Metrics)}.");
        }

        return metrics.Distinct(StringComparer.Ordinal).Count() == metrics.Count
            ? metrics
            : throw new QueryValidationException("metrics must not name a metric twice.");
    }

    /// <summary>
    /// Bounds what one query may cost before any grain works on it: the day segments it scans × its dimensions × its
    /// metrics, the comparison's segments added. Ten years with every metric and no breakdown fits; the same with a
    /// breakdown and a time series does not.
    /// </summary>
    private static void CheckWork(StatsQuery query, (StatsQuery Query, bool Instants)? comparison)
    {
        var segments = Segments(query) + (comparison is { } c ? Segments(c.Query) : 0);
        var dimensions = Math.Max(1, query.Dimensions.Count);
        if ((long)segments * dimensions * query.Metrics.Count > MaxWork)
        {
            throw new QueryValidationException(string.Create(CultureInfo.InvariantCulture,
                $"The query is too large: {segments} day segments × {dimensions} dimensions × {query.Metrics.Count} metrics exceeds {MaxWork}; ") +
                "ask for a shorter date_range, fewer metrics or fewer dimensions.");
        }
    }

    /// <summary>The UTC days the range touches, and the day before (sessions that started then).</summary>
    private static long Segments(StatsQuery query) =>
        (long)(query.ToUtc > query.FromUtc ? query.ToUtc.AddTicks(-1) : query.FromUtc).Date.Subtract(query.FromUtc.Date).TotalDays + 2;

    private static IReadOnlyList<string> Echo(StatsQuery query, bool instants)
    {
        if (instants)
        {
            var zone = TimeZones.Find(query.Timezone);
            return [Local(query.FromUtc, zone), Local(query.ToUtc, zone)];
        }

        var (from, to) = TimeBuckets.LocalDays(query);
        return [Day(from), Day(to)];
    }

    private static string Local(DateTime utc, TimeZoneInfo zone) =>
        new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(zone.GetUtcOffset(utc)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private readonly record struct Includes(bool TimeLabels, JsonElement? Comparisons, bool Imports);

    private static Includes Include(JsonElement root, string? time)
    {
        if (!root.TryGetProperty("include", out var include) || include.ValueKind == JsonValueKind.Null)
        {
            return default;
        }

        if (include.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException($"include must be an object with any of {string.Join(", ", IncludeKeys)}.");
        }

        Unknown(include, IncludeKeys, "include key");
        bool Flag(string name) => include.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new QueryValidationException($"include.{name} must be true or false."),
        };

        // total_rows is always in meta: the flag is accepted and changes nothing.
        _ = Flag("total_rows");
        var imports = Flag("imports");
        var timeLabels = Flag("time_labels");
        if (timeLabels && time is null)
        {
            throw new QueryValidationException("include.time_labels needs a time dimension (time, time:hour, time:day, time:week or time:month).");
        }

        var comparisons = include.TryGetProperty("comparisons", out var c) && c.ValueKind is not (JsonValueKind.Null or JsonValueKind.False) ? c : (JsonElement?)null;
        return new Includes(timeLabels, comparisons, imports);
    }

    /// <summary>
    /// include.comparisons {"mode": "previous_period" | "year_over_year" | "custom", "date_range": [from, to]}: the same
    /// query over the range just before (as long), the same dates a year earlier, or the given range.
    /// </summary>
    private static (StatsQuery Query, bool Instants) Comparison(
        JsonElement comparisons, StatsQuery query, TimeZoneInfo zone, DateOnly today, DateOnly createdOn, bool hourly, bool instants)
    {
        const string shape = "include.comparisons is {\"mode\": \"previous_period\" | \"year_over_year\"} or {\"mode\": \"custom\", \"date_range\": [from, to]}.";
        if (comparisons.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException(shape);
        }

        Unknown(comparisons, ["mode", "date_range"], "include.comparisons key");
        var mode = comparisons.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var (from, to) = TimeBuckets.LocalDays(query);
        (DateTime From, DateTime To, bool Instants) range = (mode, instants) switch
        {
            ("previous_period", true) => (query.FromUtc - (query.ToUtc - query.FromUtc), query.FromUtc, true),
            ("previous_period", false) => Days(from.AddDays(-(to.DayNumber - from.DayNumber + 1)), from.AddDays(-1), zone),
            ("year_over_year", true) => (query.FromUtc.AddYears(-1), query.ToUtc.AddYears(-1), true),
            ("year_over_year", false) => Days(from.AddYears(-1), to.AddYears(-1), zone),
            ("custom", _) when comparisons.TryGetProperty("date_range", out var custom) && custom.ValueKind == JsonValueKind.Array =>
                Custom(custom, zone, today, createdOn, hourly),
            ("custom", _) => throw new QueryValidationException("include.comparisons with mode custom needs date_range: [from, to]."),
            _ => throw new QueryValidationException(shape),
        };

        if (mode != "custom" && comparisons.TryGetProperty("date_range", out _))
        {
            throw new QueryValidationException("include.comparisons.date_range is only for mode custom.");
        }

        DateRangeResolver.CheckBounds(DateOnly.FromDateTime(range.From));
        return (query with { FromUtc = range.From, ToUtc = range.To, Limit = MaxLimit, Offset = 0 }, range.Instants);
    }

    private static (DateTime, DateTime, bool) Days(DateOnly from, DateOnly to, TimeZoneInfo zone)
    {
        DateRangeResolver.CheckBounds(from);
        return (DateRangeResolver.StartOfDayUtc(from, zone), DateRangeResolver.StartOfDayUtc(to.AddDays(1), zone), false);
    }

    private static (DateTime, DateTime, bool) Custom(JsonElement range, TimeZoneInfo zone, DateOnly today, DateOnly createdOn, bool hourly)
    {
        var (from, to) = DateRangeResolver.ResolveUtc(range, zone, today, createdOn, hourly, out var instants);
        return (from, to, instants);
    }

    private static DateOnly Today(JsonElement root, TimeZoneInfo zone, DateTime nowUtc)
    {
        if (root.TryGetProperty("date", out var date))
        {
            if (date.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                DateRangeResolver.CheckBounds(day);
                return day;
            }

            throw new QueryValidationException("date must be an ISO date (2024-01-31); it sets what 'today' means for relative ranges.");
        }

        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone));
    }

    private static List<QueryOrder> OrderBy(JsonElement root, IReadOnlyList<string> metrics, IReadOnlyList<string> dimensions, string? time)
    {
        var orders = new List<QueryOrder>();
        if (!root.TryGetProperty("order_by", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return orders;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new QueryValidationException("order_by must be an array of [metric or dimension, \"asc\" | \"desc\"].");
        }

        foreach (var order in array.EnumerateArray())
        {
            if (order.ValueKind != JsonValueKind.Array || order.GetArrayLength() != 2
                || order[0].ValueKind != JsonValueKind.String || order[1].ValueKind != JsonValueKind.String
                || order[1].GetString() is not ("asc" or "desc"))
            {
                throw new QueryValidationException("Each order_by entry is [metric or dimension, \"asc\" | \"desc\"].");
            }

            var key = order[0].GetString()!;
            // The caller's "time" is answered as one granularity: order by that.
            key = key == QueryDimensions.Time && time is not null ? time : key;
            if (!metrics.Contains(key) && !dimensions.Contains(key))
            {
                throw new QueryValidationException($"order_by '{key}' must be one of the query's metrics or dimensions.");
            }

            orders.Add(new QueryOrder(key, order[1].GetString() == "desc"));
        }

        return orders;
    }

    private static (int Limit, int Offset) Pagination(JsonElement root)
    {
        if (!root.TryGetProperty("pagination", out var pagination) || pagination.ValueKind == JsonValueKind.Null)
        {
            return (MaxLimit, 0);
        }

        int Read(string name, int fallback, int min, int max)
        {
            if (!pagination.TryGetProperty(name, out var value))
            {
                return fallback;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
                ? n
                : throw new QueryValidationException($"pagination.{name} must be an integer from {min} to {max}.");
        }

        if (pagination.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException("pagination must be an object with limit and offset.");
        }

        Unknown(pagination, ["limit", "offset"], "pagination key");
        return (Read("limit", MaxLimit, 1, MaxLimit), Read("offset", 0, 0, int.MaxValue));
    }

    /// <summary>A 400 naming every key of <paramref name="json"/> not in <paramref name="known"/>.</summary>
    private static void Unknown(JsonElement json, IReadOnlyList<string> known, string what)
    {
        var unknown = json.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new QueryValidationException(
                $"Unknown {what}{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Take(10).Select(k => $"'{(k.Length > 64 ? k[..64] + "…" : k)}'"))}; allowed: {string.Join(", ", known)}.");
        }
    }

    private static List<string> StringArray(JsonElement root, string name, bool required)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new QueryValidationException($"{name} is required.") : [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new QueryValidationException($"{name} must be an array of strings.");
        }

        return [.. array.EnumerateArray().Select(v => v.GetString()!)];
    }
}
