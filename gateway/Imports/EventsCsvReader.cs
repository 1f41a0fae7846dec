using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Gateway.Export;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Gateway.Imports;

/// <summary>
/// Reads our own events.csv export (<see cref="EventsCsvColumns.All"/>, found by name in the header) back into events
/// of a site, each keeping its id and its own time. A row with a bad id, time, name or number is left out and listed.
/// </summary>
public static class EventsCsvReader
{
    private const string File = "events.csv";
    private static readonly string[] Required = ["id", "timestamp", "name", "visitor_id", "pathname"];

    /// <summary>Events later than this past the import's time are refused: a clock error, not history.</summary>
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(5);

    public static ParsedImport<TrackedEvent> Read(byte[] upload, string site, string timezone, DateTime nowUtc)
    {
        var problems = new ProblemList();
        var events = new List<TrackedEvent>();
        using var records = CsvRecords.Read(new StreamReader(new MemoryStream(upload), Encoding.UTF8)).GetEnumerator();
        var header = records.MoveNext() ? records.Current.Cells.Select(h => h.Trim()).ToList() : [];
        var missing = Required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportValidationException(
                $"Not an events.csv export: its header lacks {string.Join(", ", missing)} (expected {string.Join(",", EventsCsvColumns.All)}).");
        }

        while (records.MoveNext())
        {
            var (line, cells) = records.Current;
            if (cells is [""])
            {
                continue;
            }

            if (cells.Length != header.Count)
            {
                problems.Add(File, line, $"{cells.Length} cells where the header has {header.Count}.");
                continue;
            }

            if (events.Count >= ImportLimits.MaxEventRows)
            {
                throw new ImportValidationException($"An events.csv import holds at most {ImportLimits.MaxEventRows} rows; split the file by date.");
            }

            string Cell(string column) => header.IndexOf(column) is var at and >= 0 ? CsvRecords.Unescape(cells[at]) : string.Empty;
            var (tracked, problem) = ToEvent(Cell, site, timezone, nowUtc);
            if (problem is not null)
            {
                problems.Add(File, line, problem);
            }
            else
            {
                events.Add(tracked!);
            }
        }

        return new ParsedImport<TrackedEvent>(events, problems.Listed, problems.Count);
    }

    private static (TrackedEvent? Event, string? Problem) ToEvent(Func<string, string> cell, string site, string timezone, DateTime nowUtc)
    {
        if (!Guid.TryParse(cell("id"), out var id))
        {
            return (null, $"id '{Cut(cell("id"))}' is not a UUID.");
        }

        if (!DateTime.TryParse(cell("timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var timestamp)
            || timestamp.Year < 1970 || timestamp > nowUtc + FutureSlack)
        {
            return (null, $"timestamp '{Cut(cell("timestamp"))}' is not an ISO time (UTC) between 1970 and now.");
        }

        var name = cell("name");
        if (name.Length is 0 or > 120)
        {
            return (null, "name must be 1 to 120 characters.");
        }

        var (visitor, path) = (cell("visitor_id"), cell("pathname"));
        if (visitor.Length is 0 or > 256 || !path.StartsWith('/'))
        {
            return (null, visitor.Length is 0 or > 256 ? "visitor_id must be 1 to 256 characters." : $"pathname '{Cut(path)}' must start with /.");
        }

        var interactive = cell("interactive") is "" or "true" ? true : cell("interactive") == "false" ? false : (bool?)null;
        long engagement = 0;
        if (interactive is null || (cell("engagement_ms") is { Length: > 0 } ms && !long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out engagement)))
        {
            return (null, interactive is null ? "interactive must be true or false." : "engagement_ms must be a whole number ≥ 0.");
        }

        decimal? revenue = null;
        if (cell("revenue_amount") is { Length: > 0 } amount)
        {
            if (!decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, $"revenue_amount '{Cut(amount)}' is not a number.");
            }

            revenue = parsed;
        }

        var props = Props(cell("props"));
        if (props.Problem is not null)
        {
            return (null, props.Problem);
        }

        return (new TrackedEvent
        {
            Id = id, Site = site, VisitorId = visitor, Timestamp = timestamp, Timezone = timezone, Name = name,
            Hostname = cell("hostname") is { Length: > 0 } host ? host : site, Pathname = path,
            Referrer = Optional(cell("referrer")), Source = cell("source"),
            UtmSource = Optional(cell("utm_source")), UtmMedium = Optional(cell("utm_medium")), UtmCampaign = Optional(cell("utm_campaign")),
            UtmContent = Optional(cell("utm_content")), UtmTerm = Optional(cell("utm_term")),
            Country = cell("country"), Region = Optional(cell("region")), City = Optional(cell("city")),
            Device = cell("device"), Browser = cell("browser"), BrowserVersion = cell("browser_version"), Os = cell("os"), OsVersion = cell("os_version"),
            ScreenSize = Optional(cell("screen_size")), Interactive = interactive.Value, EngagementMs = engagement, Props = props.Value,
            RevenueAmount = revenue, RevenueCurrency = Optional(cell("revenue_currency")),
        }, null);
    }

    private static (IReadOnlyDictionary<string, string>? Value, string? Problem) Props(string json)
    {
        if (json.Length == 0)
        {
            return (null, null);
        }

        try
        {
            return (JsonSerializer.Deserialize<Dictionary<string, string>>(json), null);
        }
        catch (JsonException)
        {
            return (null, "props must be a JSON object of strings.");
        }
    }

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static string Cut(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
