using System.Security.Cryptography;
using Analytics.Abstractions.Ingestion;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Imports;

/// <summary>
/// Runs imports. A Plausible export becomes the site's imported daily aggregates at once. An events.csv is appended to
/// the event log (the product's own path: sessionized and aggregated like tracked events, each at its own time) in the
/// background, in batches: the ids of a batch not imported before are appended, a visitor's events in time order, and
/// recorded after the log has them, so importing the same rows again appends none of them. The job's progress is kept in
/// the site's imports grain, for the status endpoint.
/// </summary>
public sealed class ImportJobs(IGrainFactory grains, IEventSink sink, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ImportJobs> logger)
{
    private const int BatchSize = 500;

    /// <summary>The job (running or done), or null when the site cannot keep that many more imported rows.</summary>
    public async Task<SiteImport?> StartAsync(SiteSettings site, string fileName, byte[] upload)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(upload));
        var imports = grains.GetGrain<ISiteImportsGrain>(site.Domain);
        if (fileName.EndsWith("events.csv", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = EventsCsvReader.Read(upload, site.Domain, site.Timezone, time.GetUtcNow().UtcDateTime);
            var events = parsed.Rows.DistinctBy(e => e.Id).ToList();
            var job = await imports.StartAsync(
                new SiteImport
                {
                    Source = SiteImport.EventsCsv, FileName = fileName, ContentHash = hash, Problems = parsed.Problems,
                    RowsSkipped = parsed.Rejected + parsed.Rows.Count - events.Count,
                    FirstDay = events.Count == 0 ? 0 : LocalDay(events.Min(e => e.Timestamp), site),
                    LastDay = events.Count == 0 ? 0 : LocalDay(events.Max(e => e.Timestamp), site),
                },
                events.Count);
            if (job is not null)
            {
                _ = Task.Run(() => AppendAsync(imports, job, events), lifetime.ApplicationStopping);
            }

            return job;
        }

        var aggregates = PlausibleCsvReader.Read(upload, fileName);
        var started = await imports.StartAsync(
            new SiteImport { Source = SiteImport.PlausibleCsv, FileName = fileName, ContentHash = hash, Problems = aggregates.Problems, RowsSkipped = aggregates.Rejected },
            aggregates.Rows.Count);
        if (started is not { Status: SiteImport.Running })
        {
            // Null (no room), or the same export imported before: nothing more to do.
            return started;
        }

        var days = aggregates.Rows.Select(r => r.Day).DefaultIfEmpty().ToList();
        return await imports.CompleteAggregatesAsync(started.Id, aggregates.Rows, days.Min(), days.Max());
    }

    private static int LocalDay(DateTime utc, SiteSettings site) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZones.Find(site.Timezone))).DayNumber;

    private async Task AppendAsync(ISiteImportsGrain imports, SiteImport job, List<TrackedEvent> events)
    {
        var (done, skipped) = (0, job.RowsSkipped);
        try
        {
            var cancellationToken = lifetime.ApplicationStopping;
            foreach (var batch in events.OrderBy(e => e.Timestamp).Chunk(BatchSize))
            {
                var fresh = (await imports.NewEventsAsync([.. batch.Select(e => e.Id)])).ToHashSet();
                var now = time.GetUtcNow().UtcDateTime;
                // Visitors in parallel, each visitor's events in order (the log keeps a visitor's lane in append order).
                await Task.WhenAll(batch.Where(e => fresh.Contains(e.Id)).GroupBy(e => e.VisitorId).Select(async visitor =>
                {
                    foreach (var e in visitor)
                    {
                        await sink.AppendAsync(EventEnvelope.For(e, now), cancellationToken);
                    }
                }));
                done += fresh.Count;
                skipped += batch.Length - fresh.Count;
                await imports.EventsAppendedAsync(job.Id, [.. fresh], done, skipped);
            }

            await imports.FinishAsync(job.Id, problem: null);
        }
        catch (Exception ex) when (ex is EventSinkUnavailableException or OperationCanceledException or OrleansException or TimeoutException)
        {
            logger.LogWarning(ex, "Import {Import} of {Site} stopped after {Done} events", job.Id, job.FileName, done);
            await imports.FinishAsync(job.Id, $"Stopped after {done} events: {ex.Message} Upload the file again to import the rest (rows already imported are skipped).");
        }
    }
}
