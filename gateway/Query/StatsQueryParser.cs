using System.Globalization;
using System.Text.Json;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Query;

/// <summary>
/// Validates a Plausible Stats API v2 body against what the buckets can answer and resolves it for one site.
/// Supported: any metrics without a breakdown; one breakdown dimension plus optionally one time dimension;
/// filters on the breakdown dimension (or, without a breakdown, on one dimension). Everything else is a 400 saying so.
/// </summary>
public static class StatsQueryParser
{
    public const int MaxLimit = 10_000;

    /// <summary>The most buckets × dimensions × metrics one query may ask for (<see cref="CheckWork"/>).</summary>
    public const int MaxWork = 40_000;

    private static readonly IReadOnlyList<string> TimeDimensions = ["time", "time:hour", "time:day"];

    /// <summary>The site id of a body, read first so the caller can look the site up.</summary>
    public static string ReadSiteId(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("site_id", out var site) && site.ValueKind == JsonValueKind.String
            && site.GetString() is { Length: > 0 } id
            ? id
            : throw new QueryValidationException("site_id is required: the domain of a registered site.");

    public static AnalyticsQuery Parse(JsonElement root, SiteSettings site, DateTime nowUtc)
    {
        var metrics = StringArray(root, "metrics", required: true);
        if (metrics.Count == 0)
        {
            throw new QueryValidationException("metrics must name at least one metric.");
        }

        foreach (var metric in metrics.Where(m => !MetricNames.All.Contains(m)))
        {
            throw new QueryValidationException($"Unknown metric '{metric}'; supported: {string.Join(", ", MetricNames.All)}.");
        }

        if (metrics.Distinct(StringComparer.Ordinal).Count() != metrics.Count)
        {
            throw new QueryValidationException("metrics must not name a metric twice.");
        }

        var dimensions = StringArray(root, "dimensions", required: false).Select(Canonical).ToList();
        var timeDimension = dimensions.SingleOrDefaultOrThrow(TimeDimensions.Contains, "At most one time dimension (time, time:hour, time:day) is supported.");
        var breakdown = dimensions.SingleOrDefaultOrThrow(d => !TimeDimensions.Contains(d), "At most one non-time dimension is supported per query.");
        if (breakdown is not null && !Dimensions.All.Contains(breakdown))
        {
            throw new QueryValidationException($"Unknown dimension '{breakdown}'; supported: {string.Join(", ", Dimensions.All.Order())}, time, time:hour, time:day.");
        }

        var filters = Filters(root);
        var filterDimension = filters.Select(f => f.Dimension).Distinct().ToList();
        if (filterDimension.Count > 1 || (breakdown is not null && filterDimension.Count == 1 && filterDimension[0] != breakdown))
        {
            throw new QueryValidationException("Filters must all be on one dimension, and on the breakdown dimension when there is one.");
        }

        var scope = breakdown ?? filterDimension.FirstOrDefault();
        var supported = MetricNames.SupportedFor(scope);
        foreach (var metric in metrics.Where(m => !supported.Contains(m)))
        {
            throw new QueryValidationException($"Metric '{metric}' is not available with '{scope}'; available: {string.Join(", ", supported)}.");
        }

        var zone = TimeZones.Find(site.Timezone);
        var today = Today(root, zone, nowUtc);
        if (!root.TryGetProperty("date_range", out var range))
        {
            throw new QueryValidationException("date_range is required.");
        }

        var resolvedTime = timeDimension == "time"
            ? (range.ValueKind == JsonValueKind.String && range.GetString() == "day" ? "time:hour" : "time:day")
            : timeDimension;
        var resolved = DateRangeResolver.Resolve(range, zone, today, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(site.CreatedAt, zone)),
            hourly: resolvedTime == "time:hour");
        var (limit, offset) = Pagination(root);
        var shape = dimensions.Select(d => d == "time" ? resolvedTime! : d).ToList();
        CheckWork(resolved, shape.Count, metrics.Count);

        return new AnalyticsQuery
        {
            Site = site.Domain,
            Metrics = metrics,
            Granularity = resolved.Granularity,
            First = resolved.First,
            Last = resolved.Last,
            Breakdown = breakdown,
            TimeDimension = resolvedTime,
            Filters = filters,
            OrderBy = OrderBy(root, metrics, shape, resolvedTime),
            Limit = limit,
            Offset = offset,
            Dimensions = shape,
            Timezone = site.Timezone,
        };
    }

    /// <summary>
    /// Bounds what one query may cost: buckets read × dimensions × metrics. Ten years by day with every metric and no
    /// breakdown fits; the same with a breakdown and a time series does not, and is refused before any grain works on it.
    /// </summary>
    private static void CheckWork(DateRangeResolver.Resolved range, int dimensions, int metrics)
    {
        var buckets = range.Granularity == Granularity.Hour ? (range.Last - range.First).TotalHours + 1 : (range.Last - range.First).TotalDays + 1;
        if (buckets * Math.Max(1, dimensions) * metrics > MaxWork)
        {
            throw new QueryValidationException(string.Create(CultureInfo.InvariantCulture,
                $"The query is too large: {buckets:0} buckets × {Math.Max(1, dimensions)} dimensions × {metrics} metrics exceeds {MaxWork}; ") +
                "ask for a shorter date_range, fewer metrics or fewer dimensions.");
        }
    }

    /// <summary>Plausible also names custom event names "event:name"; both read the goal breakdown.</summary>
    private static string Canonical(string dimension) => dimension == "event:name" ? Dimensions.Goal : dimension;

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

    private static List<QueryFilter> Filters(JsonElement root)
    {
        var filters = new List<QueryFilter>();
        if (!root.TryGetProperty("filters", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return filters;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new QueryValidationException("filters must be an array of [operator, dimension, [values]].");
        }

        foreach (var filter in array.EnumerateArray())
        {
            if (filter.ValueKind != JsonValueKind.Array || filter.GetArrayLength() != 3
                || filter[0].ValueKind != JsonValueKind.String || filter[1].ValueKind != JsonValueKind.String
                || filter[2].ValueKind != JsonValueKind.Array || filter[2].GetArrayLength() == 0
                || filter[2].EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                throw new QueryValidationException("Each filter is [operator, dimension, [one or more string values]].");
            }

            var op = filter[0].GetString()!;
            if (op is not (QueryFilter.Is or QueryFilter.IsNot or QueryFilter.Contains))
            {
                throw new QueryValidationException($"Filter operator '{op}' is not supported; use is, is_not or contains.");
            }

            var dimension = Canonical(filter[1].GetString()!);
            if (!Dimensions.All.Contains(dimension))
            {
                throw new QueryValidationException($"Cannot filter on '{dimension}'; filterable: {string.Join(", ", Dimensions.All.Order())}.");
            }

            filters.Add(new QueryFilter(op, dimension, [.. filter[2].EnumerateArray().Select(v => v.GetString()!)]));
        }

        return filters;
    }

    private static List<QueryOrder> OrderBy(JsonElement root, IReadOnlyList<string> metrics, IReadOnlyList<string> dimensions, string? resolvedTime)
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

            var key = Canonical(order[0].GetString()!);
            if (key == "time" && resolvedTime is not null)
            {
                // The caller's "time" is answered as time:hour or time:day; the results are ordered by that.
                key = resolvedTime;
            }

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

        return (Read("limit", MaxLimit, 1, MaxLimit), Read("offset", 0, 0, int.MaxValue));
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

    private static string? SingleOrDefaultOrThrow(this List<string> items, Func<string, bool> predicate, string message)
    {
        var matches = items.Where(predicate).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new QueryValidationException(message),
        };
    }
}
