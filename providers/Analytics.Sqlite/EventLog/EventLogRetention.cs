using Microsoft.Extensions.Options;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// Expires raw events in the embedded log once they are older than <see cref="RawEventRetentionOptions.Ttl"/> and
/// delivered: the aggregates built from them stay. An event the stream has not delivered yet is never purged, whatever
/// its age, because that would lose accepted data.
/// </summary>
public sealed partial class EventLogRetention(
    SqliteEventLog log,
    IOptions<RawEventRetentionOptions> options,
    TimeProvider time,
    ILogger<EventLogRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Ttl is not { } ttl)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.PurgeInterval, time);
        do
        {
            try
            {
                var purged = await PurgeAsync(time.GetUtcNow().UtcDateTime - ttl, settings.PurgeBatchSize, stoppingToken);
                if (purged > 0)
                {
                    LogPurged(purged);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Purges in batches until a batch comes back short; returns the rows deleted.</summary>
    public async Task<int> PurgeAsync(DateTime cutoffUtc, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await log.PurgeDeliveredAsync(cutoffUtc, batchSize, cancellationToken);
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Raw event retention: purged {Count} delivered events")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Raw event retention: purge failed; retrying at the next interval")]
    private partial void LogPurgeFailed(Exception ex);
}
