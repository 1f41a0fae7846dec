using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Imports;

/// <summary>
/// Runs imports. A Plausible export becomes the site's imported daily aggregates at once. An events.csv is appended to
/// the event log (the product's own path: sessionized and aggregated like tracked events, each at its own time) in the
/// background, in batches: the ids of a batch not imported before are appended, a visitor's events in time order, and
/// recorded after the log has them, so importing the same rows again appends none of them. The job completes once its
/// events count (then the site's cached answers, which may predate them, are dropped). Its progress is kept in the site's
/// imports grain, for the status endpoint.
/// </summary>
public sealed class ImportJobs(
    IGrainFactory grains, IEventSink sink, QueryResultCache results, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ImportJobs> logger)
{
    private const int BatchSize = 500;

    /// <summary>How long a job waits for its events to be counted before it says it is done without them.</summary>
    private static readonly TimeSpan CountDeadline = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan CountPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The job (running or done), or null when the site cannot keep that many more imported rows.</summary>
    public async Task<SiteImport?> StartAsync(SiteSettings site, string fileName, byte[] upload)
    {
        var imports = grains.GetGrain<ISiteImportsGrain>(site.SiteKey);
        if (fileName.EndsWith("events.csv", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = EventsCsvReader.Read(upload, site.SiteKey, site.Timezone, time.GetUtcNow().UtcDateTime);
            var events = parsed.Rows.DistinctBy(e => e.Id).ToList();
            var job = await imports.StartAsync(
                new SiteImport
                {
                    Source = SiteImport.EventsCsv, FileName = fileName, ContentHash = Convert.ToHexStringLower(SHA256.HashData(upload)), Problems = parsed.Problems,
                    RowsSkipped = parsed.Rejected + parsed.Rows.Count - events.Count,
                    FirstDay = events.Count == 0 ? 0 : LocalDay(events.Min(e => e.Timestamp), site),
                    LastDay = events.Count == 0 ? 0 : LocalDay(events.Max(e => e.Timestamp), site),
                },
                events.Count);
            if (job is not null)
            {
                _ = Task.Run(() => AppendAsync(site.SiteKey, imports, job, events), lifetime.ApplicationStopping);
            }

            return job;
        }

        var aggregates = PlausibleCsvReader.Read(upload, fileName);
        var started = await imports.StartAsync(
            new SiteImport { Source = SiteImport.PlausibleCsv, FileName = fileName, ContentHash = RowsHash(aggregates.Rows), Problems = aggregates.Problems, RowsSkipped = aggregates.Rejected },
            aggregates.Rows.Count);
        if (started is not { Status: SiteImport.Running })
        {
            // Null (no room), or the same export imported before: nothing more to do.
            return started;
        }

        var days = aggregates.Rows.Select(r => r.Day).DefaultIfEmpty().ToList();
        return await imports.CompleteAggregatesAsync(started.Id, aggregates.Rows, days.Min(), days.Max());
    }

    /// <summary>The site's events (engagement ones are not counted) over the imported events' span, asked of the grains, not the cache.</summary>
    private static StatsQuery CountQuery(string site, List<TrackedEvent> events) => new()
    {
        Site = site,
        Metrics = [MetricNames.Events],
        FromUtc = events.Min(e => e.Timestamp),
        // A second past the last: segments keep times in milliseconds.
        ToUtc = events.Max(e => e.Timestamp).AddSeconds(1),
        Timezone = TimeZoneInfo.Utc.Id,
    };

    private async Task<double> CountAsync(StatsQuery query) =>
        (await grains.GetGrain<ISiteGrain>(query.Site).RunAsync(query)).Rows.FirstOrDefault()?.Metrics[0] ?? 0;

    /// <summary>The rows' content, whatever the zip's entry order and timestamps: the same export is the same import.</summary>
    private static string RowsHash(IReadOnlyList<ImportedRow> rows)
    {
        var lines = rows.Select(r => string.Join('\u001f', [r.Table, r.Day.ToString(CultureInfo.InvariantCulture), .. r.Values,
            .. new[] { r.Visitors, r.Visits, r.Pageviews, r.Bounces, r.VisitDuration, r.Events }.Select(n => n.ToString(CultureInfo.InvariantCulture))]));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines.Order(StringComparer.Ordinal)))));
    }

    private static int LocalDay(DateTime utc, SiteSettings site) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZones.Find(site.Timezone))).DayNumber;

    private async Task AppendAsync(string site, ISiteImportsGrain imports, SiteImport job, List<TrackedEvent> events)
    {
        var (done, skipped) = (0, job.RowsSkipped);
        try
        {
            var cancellationToken = lifetime.ApplicationStopping;
            var counted = events.Count == 0 ? null : CountQuery(site, events);
            var before = counted is null ? 0 : await CountAsync(counted);
            var expected = 0;
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
                expected += batch.Count(e => fresh.Contains(e.Id) && !e.IsEngagement);
                skipped += batch.Length - fresh.Count;
                await imports.EventsAppendedAsync(job.Id, [.. fresh], done, skipped);
            }

            // Done once the events count: closed periods are cached, so the cache forgets the site's answers only then.
            var deadline = time.GetUtcNow() + CountDeadline;
            while (counted is not null && await CountAsync(counted) < before + expected && time.GetUtcNow() < deadline)
            {
                await Task.Delay(CountPoll, time, cancellationToken);
            }

            await results.ForgetSiteAsync(site, cancellationToken);
            await imports.FinishAsync(job.Id, problem: null);
        }
        catch (Exception ex) when (ex is EventSinkUnavailableException or OperationCanceledException or OrleansException or TimeoutException)
        {
            logger.LogWarning(ex, "Import {Import} of {Site} stopped after {Done} events", job.Id, job.FileName, done);
            await imports.FinishAsync(job.Id, $"Stopped after {done} events: {ex.Message} Upload the file again to import the rest (rows already imported are skipped).");
        }
    }
}
