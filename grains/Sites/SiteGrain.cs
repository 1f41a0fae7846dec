using Analytics.GrainInterfaces.Access;
using Analytics.GrainInterfaces.Ga4;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Metrics;
using Analytics.Grains.Privacy;
using Analytics.Grains.Query;
using Microsoft.Extensions.DependencyInjection;

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
        // Registering an erased site again starts it from zero: its grains may write again.
        await GrainFactory.Of(domain).ClearAsync();
        state.State.Settings = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).AddAsync(domain);
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(domain, stored.Ga4MeasurementId);
        return stored;
    }

    public async Task<SiteSettings?> CreateAsync(SiteSettings settings) =>
        state.State.Settings is null ? await RegisterAsync(settings) : null;

    public async Task<SiteSettings?> UpdateAsync(SiteSettings settings)
    {
        if (state.State.Settings is not { } current)
        {
            return null;
        }

        var stored = settings with { Domain = current.Domain, CreatedAt = current.CreatedAt };
        state.State.Settings = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(stored.Domain, stored.Ga4MeasurementId);
        return stored;
    }

    public Task<SiteSettings?> GetSettingsAsync() => Task.FromResult(state.State.Settings);

    public async Task<bool> DeleteAsync()
    {
        var domain = this.GetPrimaryKeyString();
        var tombstone = GrainFactory.Of(domain);
        // A deletion that failed half-way (the tombstone marked, the settings gone) can be repeated.
        if (state.State.Settings is null && !await tombstone.IsErasedAsync())
        {
            return false;
        }

        await tombstone.MarkAsync();
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).RemoveAsync(domain);
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(domain, null);
        await GrainFactory.GetGrain<IMpSecretRegistryGrain>(0).RemoveSiteAsync(domain);
        await GrainFactory.GetGrain<ISiteDropsGrain>(domain).ClearAsync();
        // Credentials go with the site: a domain registered again later must not be readable through the old ones.
        await GrainFactory.GetGrain<IShareLinkRegistryGrain>(0).ForgetSiteAsync(domain);
        await GrainFactory.GetGrain<IApiKeyRegistryGrain>(0).ForgetSiteAsync(domain);
        await state.ClearStateAsync();
        await new SiteEraser(GrainFactory, ServiceProvider.GetRequiredService<ISiteDataStore>()).EraseAsync(domain, this.GetGrainId(), CancellationToken.None);
        // After the erasure: its bucket grains are gone, so none can write an entry back.
        await closedBuckets.ForgetSiteAsync(domain);
        // The store removed this grain's own row too: a later registration must start from a fresh activation.
        DeactivateOnIdle();
        return true;
    }

    public Task<QueryResult> QueryAsync(AnalyticsQuery query) =>
        new QueryEngine(GrainFactory, closedBuckets).RunAsync(query with { Site = this.GetPrimaryKeyString() });

    /// <summary>
    /// Temporary (until the segment engine): answers what the bucket engine can (at most one non-time dimension, hour or
    /// day buckets, filters on that one dimension with is, is_not or case-insensitive contains, the metrics it keeps
    /// there) and refuses the rest as not supported yet (the API's 400).
    /// </summary>
    public Task<QueryResult> RunAsync(StatsQuery query)
    {
        var breakdowns = query.Dimensions.Where(d => !d.StartsWith("time:", StringComparison.Ordinal)).ToList();
        IReadOnlyList<FilterExpression> leaves = query.Filter switch { null => [], AndFilter and => and.Operands, var one => [one] };
        var filters = leaves.Select(f => f switch
        {
            DimensionFilter { Operator: FilterOperator.Is, CaseSensitive: true } d => new QueryFilter(QueryFilter.Is, d.Dimension, d.Values),
            DimensionFilter { Operator: FilterOperator.IsNot, CaseSensitive: true } d => new QueryFilter(QueryFilter.IsNot, d.Dimension, d.Values),
            DimensionFilter { Operator: FilterOperator.Contains, CaseSensitive: false } d => new QueryFilter(QueryFilter.Contains, d.Dimension, d.Values),
            _ => null,
        }).ToList();
        var breakdown = breakdowns.FirstOrDefault();
        var scope = breakdown ?? filters.FirstOrDefault()?.Dimension;
        if (query.Time is TimeGranularity.Week or TimeGranularity.Month || breakdowns.Count > 1 || (breakdown is not null && !Dimensions.All.Contains(breakdown))
            || filters.Any(f => f is null || f.Dimension != scope || !Dimensions.All.Contains(f.Dimension))
            || query.Metrics.Any(m => !MetricNames.SupportedFor(scope).Contains(m)))
        {
            throw new NotSupportedException("This query is not supported yet: until the segment engine lands, a query may have one dimension besides "
                + "time:hour or time:day, and filters (is, is_not, contains with case_sensitive false) only on that dimension, with the metrics "
                + $"{string.Join(", ", MetricNames.SupportedFor(scope))}.");
        }

        var hourly = query.Time == TimeGranularity.Hour;
        var zone = TimeZones.Find(query.Timezone);
        var last = query.ToUtc > query.FromUtc ? query.ToUtc.AddTicks(-1) : query.FromUtc;
        DateTime Bucket(DateTime utc) => hourly
            ? new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date;
        return QueryAsync(new AnalyticsQuery
        {
            Site = query.Site,
            Metrics = query.Metrics,
            Granularity = hourly ? Granularity.Hour : Granularity.Day,
            First = Bucket(query.FromUtc),
            Last = Bucket(last),
            Breakdown = breakdown,
            TimeDimension = query.Dimensions.FirstOrDefault(d => d.StartsWith("time:", StringComparison.Ordinal)),
            Filters = filters!,
            OrderBy = query.OrderBy,
            Limit = query.Limit,
            Offset = query.Offset,
            Dimensions = query.Dimensions,
            Timezone = query.Timezone,
        });
    }

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
