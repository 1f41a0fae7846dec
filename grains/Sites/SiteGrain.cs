using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Access;
using Analytics.GrainInterfaces.Ga4;
using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.SavedSegments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Privacy;
using Analytics.Grains.Query;
using Analytics.Grains.Segments;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Grains.Sites;

public sealed class SiteGrain(
    [PersistentState("site", StorageNames.Analytics)] IPersistentState<SiteState> state,
    SealedSegments sealedSegments,
    ISegmentStore segmentStore,
    TimeProvider time)
    : Grain, ISiteGrain
{
    private static readonly TimeSpan RealtimeWindow = TimeSpan.FromMinutes(5);

    /// <summary>Days noted by segments since activation (<see cref="NoteSegmentDayAsync"/>), on top of those listed by the store.</summary>
    private readonly HashSet<DateOnly> _notedDays = [];

    /// <summary>The days the store listed, read once per activation.</summary>
    private Task<HashSet<DateOnly>>? _storedDays;

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
        await GrainFactory.GetGrain<ISiteGoalsGrain>(domain).ClearAsync();
        await GrainFactory.GetGrain<ISiteSavedSegmentsGrain>(domain).ClearAsync();
        await GrainFactory.GetGrain<ISiteImportsGrain>(domain).ClearAsync();
        // Credentials go with the site: a domain registered again later must not be readable through the old ones.
        await GrainFactory.GetGrain<IShareLinkRegistryGrain>(0).ForgetSiteAsync(domain);
        await GrainFactory.GetGrain<IApiKeyRegistryGrain>(0).ForgetSiteAsync(domain);
        await state.ClearStateAsync();
        // The goals, segments and imports grains are keyed by the bare domain: cleared above, their rows (Cassandra keeps a cleared one) go by id.
        GrainId[] exact =
        [
            this.GetGrainId(), GrainFactory.GetGrain<ISiteGoalsGrain>(domain).GetGrainId(), GrainFactory.GetGrain<ISiteSavedSegmentsGrain>(domain).GetGrainId(),
            GrainFactory.GetGrain<ISiteImportsGrain>(domain).GetGrainId(),
        ];
        await new SiteEraser(GrainFactory, ServiceProvider.GetRequiredService<ISiteDataStore>()).EraseAsync(domain, exact, CancellationToken.None);
        // After the erasure: its segment grains are gone, so none can write an entry back.
        await sealedSegments.ForgetSiteAsync(domain);
        // The store removed this grain's own row too: a later registration must start from a fresh activation.
        DeactivateOnIdle();
        return true;
    }

    public async Task<QueryResult> RunAsync(StatsQuery query) =>
        await new SegmentFanOut(GrainFactory, sealedSegments).RunAsync(query with { Site = this.GetPrimaryKeyString() }, await HasSegmentAsync());

    public async Task<FunnelResult> FunnelAsync(StatsQuery query) =>
        await new SegmentFanOut(GrainFactory, sealedSegments).FunnelAsync(query with { Site = this.GetPrimaryKeyString() }, await HasSegmentAsync());

    /// <summary>
    /// Whether a day has a segment. A segment notes its day before its first append returns, so a day not known here
    /// holds nothing counted yet.
    /// </summary>
    private async Task<Predicate<DateOnly>> HasSegmentAsync()
    {
        _storedDays ??= ListDaysAsync();
        var stored = await _storedDays;
        return day => stored.Contains(day) || _notedDays.Contains(day);
    }

    public async Task<IReadOnlyList<DateOnly>> GetSegmentDaysAsync()
    {
        _storedDays ??= ListDaysAsync();
        return [.. (await _storedDays).Union(_notedDays).Order()];
    }

    public Task NoteSegmentDayAsync(DateOnly day)
    {
        _notedDays.Add(day);
        return Task.CompletedTask;
    }

    private async Task<HashSet<DateOnly>> ListDaysAsync()
    {
        try
        {
            return [.. await segmentStore.ListDaysAsync(this.GetPrimaryKeyString(), CancellationToken.None)];
        }
        catch
        {
            // Not cached: the next query reads the store again.
            _storedDays = null;
            throw;
        }
    }

    public async Task<long> GetRealtimeVisitorsAsync()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = await RunAsync(new StatsQuery
        {
            Site = this.GetPrimaryKeyString(),
            Metrics = [MetricNames.Visitors],
            FromUtc = now - RealtimeWindow,
            // Inclusive of events stamped this very instant.
            ToUtc = now.AddTicks(1),
            Timezone = TimeZoneInfo.Utc.Id,
        });
        return result.Rows.Count == 0 ? 0 : (long)result.Rows[0].Metrics[0];
    }
}
