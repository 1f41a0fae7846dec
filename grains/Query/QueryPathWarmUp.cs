using System.Diagnostics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Query;

/// <summary>
/// Asks the grid one real question as the silo becomes active, before its host serves HTTP: the hourly visitors of the
/// most recent sealed day (else the most recent day) of the first registered site with a segment, answer discarded.
/// <see cref="SegmentWarmUp"/> warms the scan on a made-up segment, but not the path to it (grain activation, Orleans'
/// messaging and codecs, the site grain's fan-out, a segment grain reading its sealed form from the store), which the
/// first question after a restart compiled while it ran: on the engine scenario's data, one question about another site
/// first took the cold aggregate from 709–914 ms to 467–718 (bench/README.md, session 34). It reads one segment and
/// activates the grains a question about that day would. In a cluster, other silos may place grains on this one
/// meanwhile. Off with <see cref="SegmentOptions.WarmUpOnStart"/>; a failure, or <see cref="Budget"/> passing, only logs.
/// </summary>
public sealed class QueryPathWarmUp(IGrainFactory grains, SealedSegments sealedSegments, IOptions<SegmentOptions> options, ILogger<QueryPathWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The most the silo's start waits for the question (a grid still settling answers later).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>Sites looked at for one with a segment (the embedded profile's own "localhost" is listed first, often empty).</summary>
    private const int SitesLooked = 16;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(QueryPathWarmUp), ServiceLifecycleStage.Active, WarmUpAsync, _ => Task.CompletedTask);

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var asking = AskAsync(grains, sealedSegments.IsSealable);
        try
        {
            var asked = await asking.WaitAsync(Budget, cancellationToken);
            logger.LogInformation("Grid path warmed up in {Elapsed} ms: {Asked}", clock.ElapsedMilliseconds, asked ?? "no site has a segment yet");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The grid path's warm-up question failed or ran out of time after {Elapsed} ms; the first real question compiles the path instead", clock.ElapsedMilliseconds);
            if (!asking.IsCompleted)
            {
                // Still asking after the budget: a failure that comes later is logged rather than lost.
                _ = asking.ContinueWith(
                    t => logger.LogWarning(t.Exception, "The grid path's warm-up question failed after the silo's start"),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Asks the question of the first of the first <see cref="SitesLooked"/> registered sites that has a segment;
    /// returns what it asked about, or null when none has one.
    /// </summary>
    /// <param name="isSealed">Whether a segment can no longer change (<see cref="SealedSegments.IsSealable"/>): a site
    /// taking traffic has today's segment open, and active already.</param>
    internal static async Task<string?> AskAsync(IGrainFactory grains, Predicate<SegmentKey> isSealed)
    {
        var registry = grains.GetGrain<ISiteRegistryGrain>(0);
        var aliases = await registry.GetAliasesAsync();
        foreach (var domain in (await registry.ListAsync()).Take(SitesLooked))
        {
            var key = aliases.GetValueOrDefault(domain, domain);
            var site = grains.GetGrain<ISiteGrain>(key);
            var days = await site.GetSegmentDaysAsync();
            if (days.Count == 0)
            {
                continue;
            }

            var day = days.LastOrDefault(d => isSealed(new SegmentKey(key, d)), days[^1]);

            var from = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            await site.RunAsync(new StatsQuery
            {
                Site = key,
                Metrics = [MetricNames.Visitors],
                Dimensions = ["time:hour"],
                FromUtc = from,
                ToUtc = from.AddDays(1),
                Timezone = "UTC",
            });
            return $"{domain}, {day:yyyy-MM-dd}";
        }

        return null;
    }
}
