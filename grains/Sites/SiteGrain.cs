using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Metrics;
using Analytics.Grains.Query;

namespace Analytics.Grains.Sites;

public sealed class SiteGrain(
    [PersistentState("site", StorageNames.Analytics)] IPersistentState<SiteState> state,
    ClosedBucketCache closedBuckets,
    TimeProvider time)
    : Grain, ISiteGrain
{
    private static readonly TimeSpan RealtimeWindow = TimeSpan.FromMinutes(5);

    public async Task<SiteSettings> RegisterAsync(SiteSettings settings)
    {
        var domain = this.GetPrimaryKeyString();
        var stored = settings with
        {
            Domain = domain,
            CreatedAt = state.State.Settings?.CreatedAt ?? time.GetUtcNow().UtcDateTime,
        };
        state.State.Settings = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).AddAsync(domain);
        return stored;
    }

    public Task<SiteSettings?> GetSettingsAsync() => Task.FromResult(state.State.Settings);

    public Task<QueryResult> QueryAsync(AnalyticsQuery query) =>
        new QueryEngine(GrainFactory, closedBuckets).RunAsync(query with { Site = this.GetPrimaryKeyString() });

    public async Task<long> GetRealtimeVisitorsAsync()
    {
        var site = this.GetPrimaryKeyString();
        var now = time.GetUtcNow().UtcDateTime;
        var minutes = (int)RealtimeWindow.TotalMinutes;
        var slices = await Task.WhenAll(Enumerable.Range(0, minutes).Select(i =>
            GrainFactory.GetGrain<IMetricBucketGrain>(BucketKey.Minute(site, now.AddMinutes(-i)).ToString()).GetSliceAsync(null)));
        var visitors = new VisitorSketch(VisitorSketch.TotalsPrecision);
        foreach (var slice in slices)
        {
            visitors.Merge(slice.Visitors);
        }

        return visitors.Count();
    }
}
