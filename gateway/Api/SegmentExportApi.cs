using Analytics.Gateway.Export;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Microsoft.AspNetCore.Http.HttpResults;
using Parquet;

namespace Analytics.Gateway.Api;

/// <summary>
/// A date range of a site's segments as Arrow IPC (stream format) or Parquet: every event of the range with its session's
/// attributes (<see cref="SegmentExportSchema"/>). Streamed a day at a time: each segment sends its rows, they go out as
/// one record batch (Arrow) or one row group (Parquet), and only that day is held. Same parameters and guards as the
/// CSV exports (<see cref="ExportApi"/>).
/// </summary>
public static class SegmentExportApi
{
    public const string ArrowContentType = "application/vnd.apache.arrow.stream";
    public const string ParquetContentType = "application/vnd.apache.parquet";

    public static RouteGroupBuilder MapSegmentExportApi(this RouteGroupBuilder sites)
    {
        sites.MapGet("/{domain}/export/segments.arrow", ArrowAsync)
            .WithName("ExportSegmentsArrow")
            .WithSummary("The site's events over [from, to] (site-local dates) with their sessions' attributes, as an Arrow IPC stream.")
            .Produces<Stream>(StatusCodes.Status200OK, ArrowContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapGet("/{domain}/export/segments.parquet", ParquetAsync)
            .WithName("ExportSegmentsParquet")
            .WithSummary("The site's events over [from, to] (site-local dates) with their sessions' attributes, as a Parquet file.")
            .Produces<Stream>(StatusCodes.Status200OK, ParquetContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return sites;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ArrowAsync(
        string domain, string? from, string? to, HttpResponse response, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (range, problem) = await ResolveAsync(domain, from, to, sites, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        Start(response, ArrowContentType, $"{range.Site}-segments.arrow");
        using var writer = new ArrowStreamWriter(response.Body, SegmentExportSchema.Schema, leaveOpen: true);
        await writer.WriteStartAsync(cancellationToken);
        await foreach (var batch in BatchesAsync(grains, range).WithCancellation(cancellationToken))
        {
            await writer.WriteRecordBatchAsync(batch, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }

        await writer.WriteEndAsync(cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ParquetAsync(
        string domain, string? from, string? to, HttpResponse response, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (range, problem) = await ResolveAsync(domain, from, to, sites, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        Start(response, ParquetContentType, $"{range.Site}-segments.parquet");
        var schema = ParquetColumns.SchemaOf(SegmentExportSchema.Schema);
        await using var body = new AppendOnlyStream(response.Body);
        await using (var writer = await ParquetWriter.CreateAsync(schema, body, cancellationToken: cancellationToken))
        {
            await foreach (var batch in BatchesAsync(grains, range).WithCancellation(cancellationToken))
            {
                await ParquetColumns.WriteRowGroupAsync(writer, schema, batch, cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        }

        // The footer, written when the writer closed.
        await body.FlushAsync(cancellationToken);

        return TypedResults.Empty;
    }

    private static async Task<(ExportRange Range, ProblemHttpResult? Problem)> ResolveAsync(
        string domain, string? from, string? to, ISiteDirectory sites, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return (default, ExportApi.NotFound(domain));
        }

        var (first, last, error) = ExportApi.ParseRange(from, to);
        if (error is not null)
        {
            return (default, ExportApi.BadRequest(error));
        }

        var zone = TimeZones.Find(site.Timezone);
        return (new ExportRange(site.SiteKey, DateRangeResolver.StartOfDayUtc(first, zone), DateRangeResolver.StartOfDayUtc(last.AddDays(1), zone)), null);
    }

    private static void Start(HttpResponse response, string contentType, string fileName)
    {
        response.ContentType = contentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
    }

    /// <summary>The range's segments that exist, a day at a time, each as its record batch of events in range.</summary>
    private static async IAsyncEnumerable<RecordBatch> BatchesAsync(IGrainFactory grains, ExportRange range)
    {
        var days = (await grains.GetGrain<ISiteGrain>(range.Site).GetSegmentDaysAsync()).ToHashSet();
        foreach (var key in SegmentKey.Covering(range.Site, range.FromUtc, range.ToUtc).Where(k => days.Contains(k.Day)))
        {
            if (await grains.GetGrain<ISegmentExportGrain>(key.ToString()).ExportAsync(range.FromUtc, range.ToUtc) is not { } bytes)
            {
                continue;
            }

            using var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(bytes));
            while (await reader.ReadNextRecordBatchAsync() is { } batch)
            {
                yield return batch;
            }
        }
    }

    private readonly record struct ExportRange(string Site, DateTime FromUtc, DateTime ToUtc);
}
