using Analytics.GrainInterfaces.Ga4;

namespace Analytics.Grains.Ga4;

public sealed class MeasurementIdRegistryGrain(
    [PersistentState("measurementids", StorageNames.Analytics)] IPersistentState<MeasurementIdRegistryState> state)
    : Grain, IMeasurementIdRegistryGrain
{
    public async Task AssignAsync(string domain, string? measurementId)
    {
        var ids = state.State.Sites;
        var stale = ids.Where(e => e.Value == domain && e.Key != measurementId).Select(e => e.Key).ToList();
        var changed = stale.Count > 0;
        foreach (var id in stale)
        {
            ids.Remove(id);
        }

        if (measurementId is not null && (!ids.TryGetValue(measurementId, out var current) || current != domain))
        {
            ids[measurementId] = domain;
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string?> FindSiteAsync(string measurementId) => Task.FromResult(state.State.Sites.GetValueOrDefault(measurementId));
}
