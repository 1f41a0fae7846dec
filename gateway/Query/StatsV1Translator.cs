using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Gateway.Query;

/// <summary>
/// Plausible's Stats API v1 query strings as Stats API v2 bodies, so both run through one parser and one engine:
/// period (day, 7d, 30d, month, 6mo, 12mo, custom, and our other presets) with date, filters on any property
/// ("event:page==/a|/b;visit:source!=Google;event:props:plan~pro": == is, != is_not, ~ contains and !~ contains_not,
/// both ignoring case; | separates alternatives, ; joins conditions; * in an == or != value is a wildcard), metrics,
/// property (event:props:&lt;key&gt; included), interval, compare, limit and page.
/// </summary>
public static class StatsV1Translator
{
    public const int DefaultBreakdownLimit = 100;
    public const int MaxBreakdownLimit = 1000;

    /// <summary>Totals; compare=previous_period asks for the previous period as a v2 comparison.</summary>
    public static JsonDocument Aggregate(StatsV1Request request)
    {
        if (request.Compare is not (null or "" or "previous_period"))
        {
            throw new QueryValidationException($"compare '{request.Compare}' is not supported; use previous_period.");
        }

        return Build(request, dimensions: [], order: null, limit: null, offset: null, compare: !string.IsNullOrEmpty(request.Compare));
    }

    /// <summary>
    /// One row per bucket: interval hour, date (day), week or month; by default hours for period=day, months for 6mo and
    /// 12mo, days otherwise (as Plausible).
    /// </summary>
    public static JsonDocument Timeseries(StatsV1Request request)
    {
        var time = request.Interval switch
        {
            null or "" => Period(request) switch { "day" => "time:hour", "6mo" or "12mo" => "time:month", _ => "time:day" },
            "date" or "day" => "time:day",
            "hour" => "time:hour",
            "week" => "time:week",
            "month" => "time:month",
            _ => throw new QueryValidationException($"interval '{request.Interval}' is not supported; use hour, date, week or month."),
        };
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

    /// <summary>
    /// The name a breakdown row carries its value under: "visit:source" → "source", "event:page" → "page",
    /// "event:props:plan" → "plan".
    /// </summary>
    public static string RowKey(string property) => property.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal)
        ? property[Dimensions.PropsPrefix.Length..]
        : property[(property.IndexOf(':', StringComparison.Ordinal) + 1)..];

    public static IReadOnlyList<string> MetricList(StatsV1Request request) =>
        string.IsNullOrWhiteSpace(request.Metrics) ? ["visitors"] : [.. request.Metrics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static JsonDocument Build(StatsV1Request request, IReadOnlyList<string> dimensions, string? order, int? limit, int? offset, bool compare = false)
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
            foreach (var (op, dimension, values, ignoreCase) in Filters(request.Filters))
            {
                json.WriteStartArray();
                json.WriteStringValue(op);
                json.WriteStringValue(dimension);
                WriteArray(json, null, values);
                if (ignoreCase)
                {
                    json.WriteStartObject();
                    json.WriteBoolean("case_sensitive", false);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            if (compare)
            {
                json.WriteStartObject("include");
                json.WriteStartObject("comparisons");
                json.WriteString("mode", "previous_period");
                json.WriteEndObject();
                json.WriteEndObject();
            }

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

    private static readonly string[] FilterOperators = ["==", "!=", "!~", "~"];

    private static IEnumerable<(string Operator, string Dimension, IReadOnlyList<string> Values, bool IgnoreCase)> Filters(string? filters)
    {
        if (string.IsNullOrWhiteSpace(filters))
        {
            yield break;
        }

        foreach (var filter in filters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // The first operator in the text is the filter's ("!~" starts before its "~").
            var (at, symbol) = FilterOperators.Select(o => (At: filter.IndexOf(o, StringComparison.Ordinal), Symbol: o))
                .Where(o => o.At > 0).OrderBy(o => o.At).FirstOrDefault();
            if (symbol is null)
            {
                throw new QueryValidationException(
                    $"Filter '{filter}' must be dimension==value, dimension!=value, dimension~value or dimension!~value (values separated by |).");
            }

            var dimension = filter[..at].Trim();
            var values = filter[(at + symbol.Length)..].Split('|', StringSplitOptions.TrimEntries);
            yield return symbol switch
            {
                "~" => ("contains", dimension, values, true),
                "!~" => ("contains_not", dimension, values, true),
                _ when values.Any(v => v.Contains('*', StringComparison.Ordinal)) =>
                    (symbol == "==" ? "matches" : "matches_not", dimension, [.. values.Select(Wildcard)], false),
                _ => (symbol == "==" ? "is" : "is_not", dimension, values, false),
            };
        }
    }

    /// <summary>Plausible's v1 wildcards as an anchored pattern: ** any text, * any text without a slash.</summary>
    private static string Wildcard(string value) =>
        "^" + string.Join(".*", value.Split("**").Select(part => string.Join("[^/]*", part.Split('*').Select(Regex.Escape)))) + "$";

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
