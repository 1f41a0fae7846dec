using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Gateway.Export;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's data as CSV: aggregates per bucket, and its raw events. Mapped on the sites group, so whatever guards
/// /api/sites guards these too. Both stream: rows go out as they are read, never held whole.
/// </summary>
public static class ExportApi
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>Rows written between flushes of the response.</summary>
    private const int FlushEvery = 500;

    private static readonly string[] Metrics = [.. MetricNames.All];

    /// <summary>The events.csv header (<see cref="EventsCsvColumns.All"/>), which the import reads back.</summary>
    public static IReadOnlyList<string> EventColumns => EventsCsvColumns.All;

    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder sites)
    {
        sites.MapGet("/{domain}/export/aggregates.csv", AggregatesAsync)
            .WithName("ExportAggregates")
            .WithSummary("Counters per day or hour bucket over [from, to] (site-local dates), as CSV.")
            .ProducesCsv();
        sites.MapGet("/{domain}/export/events.csv", EventsAsync)
            .WithName("ExportEvents")
            .WithSummary("The site's raw events over [from, to] (site-local dates) from the raw event log, as CSV.")
            .ProducesCsv();
        return sites;
    }

    private static RouteHandlerBuilder ProducesCsv(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<string>(StatusCodes.Status200OK, "text/csv")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> AggregatesAsync(
        string domain, string? from, string? to, string? granularity, HttpResponse response,
        ISiteDirectory sites, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return NotFound(domain);
        }

        var timeDimension = (granularity ?? "day") switch
        {
            "day" => "time:day",
            "hour" => "time:hour",
            _ => null,
        };
        if (timeDimension is null)
        {
            return BadRequest("granularity must be day or hour.");
        }

        if (ParseRange(from, to).Error is { } error)
        {
            return BadRequest(error);
        }

        StatsQuery query;
        try
        {
            // The Stats API's own parser resolves the range, so bounds and time zones mean exactly what they mean there.
            query = StatsQueryParser.Parse(
                JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["site_id"] = site.Domain,
                    ["metrics"] = Metrics,
                    ["date_range"] = new[] { from!, to! },
                    ["dimensions"] = new[] { timeDimension },
                }),
                site,
                time.GetUtcNow().UtcDateTime).Query;
        }
        catch (QueryValidationException ex)
        {
            return BadRequest(ex.Message);
        }

        var result = await grains.GetGrain<ISiteGrain>(site.SiteKey).RunAsync(query);
        await WriteCsvAsync(response, $"{site.Domain}-aggregates.csv", ["bucket", .. Metrics],
            TimeBuckets.Filled(query, result).Select(r => (IEnumerable<string?>)[r.Dimensions[0], .. r.Metrics.Select(m => m.ToString(CultureInfo.InvariantCulture))]).ToAsyncEnumerable(),
            cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> EventsAsync(
        string domain, string? from, string? to, HttpResponse response,
        ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return NotFound(domain);
        }

        var (first, last, error) = ParseRange(from, to);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var zone = TimeZones.Find(site.Timezone);
        // Not ConvertTimeToUtc: where DST or a date-line move skips local midnight, the day starts when the gap ends.
        var fromUtc = DateRangeResolver.StartOfDayUtc(first, zone);
        var toUtc = DateRangeResolver.StartOfDayUtc(last.AddDays(1), zone);
        var events = grains.GetGrain<IRawEventExportGrain>(Guid.NewGuid()).ReadAsync(site.SiteKey, fromUtc, toUtc);
        await WriteCsvAsync(response, $"{site.Domain}-events.csv", EventColumns, events.Select(EventRow), cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>Site-local dates yyyy-MM-dd, both required, from ≤ to, at most <see cref="DateRangeResolver.MaxDays"/> days.</summary>
    public static (DateOnly From, DateOnly To, string? Error) ParseRange(string? from, string? to)
    {
        if (!TryDate(from, out var first) || !TryDate(to, out var last))
        {
            return (default, default, "from and to are required dates (yyyy-MM-dd) between 1970-01-01 and 9000-12-31.");
        }

        if (last < first)
        {
            return (default, default, "to must not be before from.");
        }

        return last.DayNumber - first.DayNumber >= DateRangeResolver.MaxDays
            ? (default, default, $"A range spans at most {DateRangeResolver.MaxDays} days.")
            : (first, last, null);
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date >= DateRangeResolver.MinDate && date <= DateRangeResolver.MaxDate;

    private static async Task WriteCsvAsync(HttpResponse response, string fileName, IEnumerable<string?> header, IAsyncEnumerable<IEnumerable<string?>> rows, CancellationToken cancellationToken)
    {
        response.ContentType = CsvContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
        var csv = new CsvWriter(writer);
        await csv.WriteRowAsync(header);
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRowAsync(row);
            if (++written % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

    public static IEnumerable<string?> EventRow(TrackedEvent e) =>
    [
        e.Id.ToString(), e.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), e.Name, e.VisitorId,
        e.Hostname, e.Pathname, e.Referrer, e.Source, e.UtmSource, e.UtmMedium, e.UtmCampaign, e.Country, e.Device,
        e.Browser, e.BrowserVersion, e.Os, e.OsVersion, e.ScreenSize, e.Interactive ? "true" : "false",
        e.EngagementMs.ToString(CultureInfo.InvariantCulture),
        e.Props is { Count: > 0 } props ? JsonSerializer.Serialize(props) : null,
        e.RevenueAmount?.ToString(CultureInfo.InvariantCulture), e.RevenueCurrency,
        e.UtmContent, e.UtmTerm, e.Region, e.City,
    ];

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid export");

    internal static ProblemHttpResult NotFound(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");
}
