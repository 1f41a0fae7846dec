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

    public Task<SiteSettings> RegisterAsync(SiteSettings settings) => StoreAsync(settings, this.GetPrimaryKeyString());

    public async Task<SiteSettings?> CreateAsync(SiteSettings settings) =>
        state.State.Settings is null ? await StoreAsync(settings, settings.Domain) : null;

    private async Task<SiteSettings> StoreAsync(SiteSettings settings, string domain)
    {
        var key = this.GetPrimaryKeyString();
        var stored = settings with
        {
            Domain = domain,
            Key = key,
            CreatedAt = state.State.Settings?.CreatedAt ?? time.GetUtcNow().UtcDateTime,
        };
        // Registering an erased site again starts it from zero: its grains may write again.
        await GrainFactory.Of(key).ClearAsync();
        state.State.Settings = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).AddAsync(stored.Domain, key);
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(stored.Domain, stored.Ga4MeasurementId);
        return stored;
    }

    public async Task<SiteSettings?> UpdateAsync(SiteSettings settings)
    {
        if (state.State.Settings is not { } current)
        {
            return null;
        }

        // The allowed props change only through their own calls, so a settings form cannot drop them; the domain only by a change.
        var stored = settings with
        {
            Domain = current.Domain,
            Key = current.Key,
            FormerDomain = current.FormerDomain,
            DomainChangedAt = current.DomainChangedAt,
            CreatedAt = current.CreatedAt,
            AllowedProps = current.AllowedProps,
        };
        state.State.Settings = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(stored.Domain, stored.Ga4MeasurementId);
        return stored;
    }

    public async Task<SiteSettings?> ChangeDomainAsync(string domain)
    {
        if (state.State.Settings is not { } current)
        {
            return null;
        }

        if (current.Domain == domain)
        {
            return current;
        }

        var stored = current with { Key = current.SiteKey, Domain = domain, FormerDomain = current.Domain, DomainChangedAt = time.GetUtcNow().UtcDateTime };
        state.State.Settings = stored;
        await state.WriteStateAsync();
        // Only registries name sites by domain; every grain holding data is keyed by the site key and stays as it is.
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).RenameAsync(current.SiteKey, current.Domain, domain);
        var measurementIds = GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0);
        await measurementIds.AssignAsync(current.Domain, null);
        await measurementIds.AssignAsync(domain, stored.Ga4MeasurementId);
        await GrainFactory.GetGrain<IMpSecretRegistryGrain>(0).RenameSiteAsync(current.Domain, domain);
        await GrainFactory.GetGrain<IShareLinkRegistryGrain>(0).RenameSiteAsync(current.Domain, domain);
        await GrainFactory.GetGrain<IApiKeyRegistryGrain>(0).RenameSiteAsync(current.Domain, domain);
        return stored;
    }

    public Task<IReadOnlyList<string>?> AllowPropAsync(string property) =>
        ChangePropsAsync(props => props.Contains(property, StringComparer.Ordinal) || props.Count >= SiteProps.MaxAllowed ? props : [.. props, property]);

    public Task<IReadOnlyList<string>?> DisallowPropAsync(string property) =>
        ChangePropsAsync(props => [.. props.Where(p => p != property)]);

    private async Task<IReadOnlyList<string>?> ChangePropsAsync(Func<IReadOnlyList<string>, IReadOnlyList<string>> change)
    {
        if (state.State.Settings is not { } current)
        {
            return null;
        }

        var props = change(current.AllowedProps);
        if (!props.SequenceEqual(current.AllowedProps, StringComparer.Ordinal))
        {
            state.State.Settings = current with { AllowedProps = props };
            await state.WriteStateAsync();
        }

        return props;
    }

    public Task<SiteSettings?> GetSettingsAsync() => Task.FromResult(state.State.Settings);

    public async Task<bool> DeleteAsync()
    {
        var key = this.GetPrimaryKeyString();
        var tombstone = GrainFactory.Of(key);
        // A deletion that failed half-way (the tombstone marked, the settings gone) can be repeated.
        if (state.State.Settings is null && !await tombstone.IsErasedAsync())
        {
            return false;
        }

        // Registries name the site by its domain (a renamed site's registries were renamed with it); its data by its key.
        var domain = state.State.Settings?.Domain ?? key;
        await tombstone.MarkAsync();
        await GrainFactory.GetGrain<ISiteRegistryGrain>(0).RemoveAsync(domain, key);
        await GrainFactory.GetGrain<IMeasurementIdRegistryGrain>(0).AssignAsync(domain, null);
        await GrainFactory.GetGrain<IMpSecretRegistryGrain>(0).RemoveSiteAsync(domain);
        await GrainFactory.GetGrain<ISiteDropsGrain>(key).ClearAsync();
        await GrainFactory.GetGrain<ISiteGoalsGrain>(key).ClearAsync();
        await GrainFactory.GetGrain<ISiteSavedSegmentsGrain>(key).ClearAsync();
        await GrainFactory.GetGrain<ISiteImportsGrain>(key).ClearAsync();
        // Credentials go with the site: a domain registered again later must not be readable through the old ones.
        await GrainFactory.GetGrain<IShareLinkRegistryGrain>(0).ForgetSiteAsync(domain);
        await GrainFactory.GetGrain<IApiKeyRegistryGrain>(0).ForgetSiteAsync(domain);
        await state.ClearStateAsync();
        // The goals, segments and imports grains are keyed by the bare site key: cleared above, their rows (Cassandra keeps a cleared one) go by id.
        GrainId[] exact =
        [
            this.GetGrainId(), GrainFactory.GetGrain<ISiteGoalsGrain>(key).GetGrainId(), GrainFactory.GetGrain<ISiteSavedSegmentsGrain>(key).GetGrainId(),
            GrainFactory.GetGrain<ISiteImportsGrain>(key).GetGrainId(),
        ];
        await new SiteEraser(GrainFactory, ServiceProvider.GetRequiredService<ISiteDataStore>()).EraseAsync(key, exact, CancellationToken.None);
        // After the erasure: its segment grains are gone, so none can write an entry back.
        await sealedSegments.ForgetSiteAsync(key);
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
