using System.Collections.Concurrent;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// Counts dropped beacons per site and reason, and hands the counts to each site's <see cref="ISiteDropsGrain"/> once a
/// second (one grain call per site, not per beacon: a bot flood costs a dictionary increment). Only registered sites
/// are reported, so made-up domains in beacons create no grains; at most <see cref="MaxPending"/> site/reason pairs wait.
/// </summary>
public sealed partial class SiteDropLog(IGrainFactory grains, ISiteDirectory sites, ILogger<SiteDropLog> logger) : BackgroundService
{
    public const int MaxPending = 10_000;

    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private ConcurrentDictionary<(string Site, string Reason), long> _pending = new();

    public void Record(IngestionContext context, DropReason reason)
    {
        var site = context.Site?.SiteKey ?? SiteDirectory.Normalize(context.Beacon.Domain);
        if (site.Length > 0 && (_pending.Count < MaxPending || _pending.ContainsKey((site, reason.ToWireName()))))
        {
            _pending.AddOrUpdate((site, reason.ToWireName()), 1, static (_, n) => n + 1);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Counts for the dashboard's hint, not data: a failed flush loses them and the next one carries on.
                LogFlushFailed(ex);
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        // A beacon counted into the old dictionary while it is swapped out may be missed: a hint may undercount by one.
        var batch = Interlocked.Exchange(ref _pending, new());
        foreach (var site in batch.GroupBy(e => e.Key.Site))
        {
            if (await sites.FindAsync(site.Key, cancellationToken) is null)
            {
                continue;
            }

            await grains.GetGrain<ISiteDropsGrain>(site.Key).AddAsync(site.ToDictionary(e => e.Key.Reason, e => e.Value, StringComparer.Ordinal));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report dropped-beacon counts to the grid")]
    private partial void LogFlushFailed(Exception exception);
}
