using System.Diagnostics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Grains.Query;

/// <summary>
/// Asks the grid one real question as the silo becomes active, before it serves: the hourly visitors of the most recent
/// day of the first registered site with a segment, answer discarded. <see cref="SegmentWarmUp"/> warms the scan on a
/// made-up segment, but not the path to it (grain activation, Orleans' messaging and codecs, the site grain's fan-out, a
/// segment grain reading the store), which the first question after a restart compiled while it ran: on the engine
/// scenario's data, one question about another site first took the cold aggregate from 709–914 ms to 467–718
/// (bench/README.md, session 34). It reads one segment and activates the grains a question about that day would. Off
/// with <see cref="SegmentOptions.WarmUpOnStart"/>; a failure, or <see cref="Budget"/> passing, only logs.
/// </summary>
public sealed class QueryPathWarmUp(IGrainFactory grains, IOptions<SegmentOptions> options, ILogger<QueryPathWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The most the silo's start waits for the question (a grid still settling answers later).</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>Sites looked at for one with a segment (the embedded profile's own "localhost" is listed first, often empty).</summary>
    internal const int SitesLooked = 16;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(QueryPathWarmUp), ServiceLifecycleStage.Active, WarmUpAsync, _ => Task.CompletedTask);

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var asked = await AskAsync(grains).WaitAsync(Budget, cancellationToken);
            logger.LogInformation("Grid path warmed up in {Elapsed} ms: {Asked}", clock.ElapsedMilliseconds, asked ?? "no site has a segment yet");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The grid path's warm-up question failed after {Elapsed} ms; the first real question compiles the path instead", clock.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Asks the question of the first of the first <see cref="SitesLooked"/> registered sites that has a segment;
    /// returns what it asked about, or null when none has one.
    /// </summary>
    internal static async Task<string?> AskAsync(IGrainFactory grains)
    {
        var registry = grains.GetGrain<ISiteRegistryGrain>(0);
        var aliases = await registry.GetAliasesAsync();
        foreach (var domain in (await registry.ListAsync()).Take(SitesLooked))
        {
            var key = aliases.GetValueOrDefault(domain, domain);
            var site = grains.GetGrain<ISiteGrain>(key);
            if (await site.GetSegmentDaysAsync() is not [.., var day])
            {
                continue;
            }

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
