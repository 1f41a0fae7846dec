using System.Globalization;
using System.Text.Json;

namespace Analytics.Gateway.Query;

/// <summary>
/// Plausible's Stats API v1 query strings as Stats API v2 bodies, so both run through one parser and one engine:
/// period (day, 7d, 30d, month, 6mo, 12mo, custom, and our other presets) with date, filters
/// ("event:page==/a|/b;visit:source!=Google", "~" for contains), metrics, property, limit and page.
/// </summary>
public static class StatsV1Translator
{
    public const int DefaultBreakdownLimit = 100;
    public const int MaxBreakdownLimit = 1000;

    public static JsonDocument Aggregate(StatsV1Request request) => Build(request, dimensions: [], order: null, limit: null, offset: null);

    /// <summary>The same aggregate over explicit local days (the previous period of a comparison).</summary>
    public static JsonDocument Aggregate(StatsV1Request request, DateOnly from, DateOnly to) =>
        Build(request with { Period = "custom", Date = $"{Day(from)},{Day(to)}" }, dimensions: [], order: null, limit: null, offset: null);

    public static JsonDocument Timeseries(StatsV1Request request)
    {
        var hourly = request.Interval switch
        {
            null or "" => Period(request) == "day",
            "date" or "day" => false,
            "hour" => true,
            _ => throw new QueryValidationException($"interval '{request.Interval}' is not supported; use date or hour."),
        };
        var time = hourly ? "time:hour" : "time:day";
        return Build(request, [time], order: time, limit: null, offset: null);
    }

    public static JsonDocument Breakdown(StatsV1Request request)
    {
        if (string.IsNullOrEmpty(request.Property))
        {
            throw new QueryValidationException("property is required, e.g. event:page or visit:source.");
        }

        var limit = Integer(request.Limit, "limit", DefaultBreakdownLimit, 1, MaxBreakdownLimit);
        var page = Integer(request.Page, "page", 1, 1, int.MaxValue / MaxBreakdownLimit);
        return Build(request, [request.Property], order: null, limit, (page - 1) * limit);
    }

    /// <summary>The name a breakdown row carries its value under: "visit:source" → "source", "event:page" → "page".</summary>
    public static string RowKey(string property) => property[(property.IndexOf(':', StringComparison.Ordinal) + 1)..];

    public static IReadOnlyList<string> MetricList(StatsV1Request request) =>
        string.IsNullOrWhiteSpace(request.Metrics) ? ["visitors"] : [.. request.Metrics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static JsonDocument Build(StatsV1Request request, IReadOnlyList<string> dimensions, string? order, int? limit, int? offset)
    {
        var metrics = MetricList(request);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("site_id", request.SiteId ?? string.Empty);
            WriteArray(json, "metrics", metrics);
            WriteDateRange(json, request);
            WriteArray(json, "dimensions", dimensions);
            json.WriteStartArray("filters");
            foreach (var (op, dimension, values) in Filters(request.Filters))
            {
                json.WriteStartArray();
                json.WriteStringValue(op);
                json.WriteStringValue(dimension);
                WriteArray(json, null, values);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("order_by");
            json.WriteStartArray();
            // A breakdown lists its biggest rows first (by its first metric); a time series runs in time order.
            json.WriteStringValue(order ?? metrics[0]);
            json.WriteStringValue(order is null ? "desc" : "asc");
            json.WriteEndArray();
            json.WriteEndArray();
            if (limit is not null)
            {
                json.WriteStartObject("pagination");
                json.WriteNumber("limit", limit.Value);
                json.WriteNumber("offset", offset ?? 0);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray());
    }

    private static string Period(StatsV1Request request) => string.IsNullOrEmpty(request.Period) ? "30d" : request.Period;

    /// <summary>
    /// Relative periods end at "date" (default today, in the site's zone); month, 6mo and 12mo with a date cover whole
    /// calendar months, as in Plausible; custom takes "date=from,to".
    /// </summary>
    private static void WriteDateRange(Utf8JsonWriter json, StatsV1Request request)
    {
        var period = Period(request);
        if (period == "custom")
        {
            var parts = (request.Date ?? string.Empty).Split(',');
            if (parts.Length != 2 || !TryDay(parts[0], out var from) || !TryDay(parts[1], out var to))
            {
                throw new QueryValidationException("period=custom needs date=YYYY-MM-DD,YYYY-MM-DD.");
            }

            WriteArray(json, "date_range", [Day(from), Day(to)]);
            return;
        }

        if (request.Date is null)
        {
            json.WriteString("date_range", period);
            return;
        }

        if (!TryDay(request.Date, out var date))
        {
            throw new QueryValidationException("date must be an ISO date (YYYY-MM-DD).");
        }

        var monthStart = new DateOnly(date.Year, date.Month, 1);
        var months = period switch { "month" => 1, "6mo" => 6, "12mo" => 12, _ => 0 };
        if (months > 0)
        {
            WriteArray(json, "date_range", [Day(monthStart.AddMonths(1 - months)), Day(monthStart.AddMonths(1).AddDays(-1))]);
            return;
        }

        json.WriteString("date_range", period);
        json.WriteString("date", Day(date));
    }

    private static IEnumerable<(string Operator, string Dimension, IReadOnlyList<string> Values)> Filters(string? filters)
    {
        if (string.IsNullOrWhiteSpace(filters))
        {
            yield break;
        }

        foreach (var filter in filters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (op, at, length) = filter.IndexOf("==", StringComparison.Ordinal) is var eq and > 0 ? ("is", eq, 2)
                : filter.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? ("is_not", ne, 2)
                : filter.IndexOf('~', StringComparison.Ordinal) is var like and > 0 && filter[like - 1] != '!' ? ("contains", like, 1)
                : throw new QueryValidationException($"Filter '{filter}' must be dimension==value, dimension!=value or dimension~value (values separated by |).");
            yield return (op, filter[..at].Trim(), filter[(at + length)..].Split('|', StringSplitOptions.TrimEntries));
        }
    }

    private static int Integer(string? text, string name, int fallback, int min, int max) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new QueryValidationException($"{name} must be an integer from {min} to {max}.");

    private static bool TryDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void WriteArray(Utf8JsonWriter json, string? name, IEnumerable<string> values)
    {
        if (name is null)
        {
            json.WriteStartArray();
        }
        else
        {
            json.WriteStartArray(name);
        }

        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
