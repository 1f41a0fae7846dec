using Analytics.GrainInterfaces.Lanes;
using Analytics.Grains.Segments;
using Orleans.Core.Internal;

namespace Analytics.Grains.Privacy;

/// <summary>
/// Erases a site's stored data. Its tombstone is marked beforehand, so activations started from now on refuse to
/// write; the ones already running are deactivated and awaited before the rows go, so none writes its memory back.
/// </summary>
public sealed class SiteEraser(IGrainFactory grains, ISiteDataStore store)
{
    /// <summary>How long running segment activations of the site may take to finish what they are doing.</summary>
    public static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// <paramref name="exact"/>: the site's grains whose keys are not "site|…" (the site grain, its goals), whose rows the
    /// store erases by id.
    /// </summary>
    public async Task EraseAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken)
    {
        // Lanes are not per site: each running one is told, and answers once its batch in progress is done, so it writes
        // the site's sessions and segment rows no more (it drops the site's events from its next batch on) and what it
        // wrote goes with the erasure below. One that starts later reads the tombstone, marked before this.
        var management = grains.GetGrain<IManagementGrain>(0);
        var lanes = await management.GetActiveGrains(grains.GetGrain<ILaneGrain>("0").GetGrainId().Type);
        await Task.WhenAll(lanes.Select(id => grains.GetGrain<ILaneGrain>(id.Key.ToString()!).SiteErasedAsync(site)));
        var types = new[] { grains.GetGrain<ISegmentGrain>(SiteKeys.Prefix(site)).GetGrainId().Type };
        var deadline = DateTime.UtcNow + DeactivationTimeout;
        while (true)
        {
            var active = new List<GrainId>();
            foreach (var type in types)
            {
                active.AddRange((await management.GetActiveGrains(type)).Where(id => SiteKeys.Owns(site, id.Key.ToString()!)));
            }

            if (active.Count == 0)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{active.Count} activations of site '{site}' did not deactivate within {DeactivationTimeout}; its data is not erased yet: retry the deletion.");
            }

            await Task.WhenAll(active.Select(id => grains.GetGrain(id).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
            await Task.Delay(PollInterval, cancellationToken);
        }

        await store.EraseAsync(site, exact, cancellationToken);
    }
}
