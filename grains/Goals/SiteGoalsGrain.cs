using Analytics.GrainInterfaces.Goals;

namespace Analytics.Grains.Goals;

public sealed class SiteGoalsGrain(
    [PersistentState("goals", StorageNames.Analytics)] IPersistentState<SiteGoalsState> state,
    TimeProvider time)
    : Grain, ISiteGoalsGrain
{
    public Task<IReadOnlyList<Goal>> ListAsync() => Task.FromResult<IReadOnlyList<Goal>>([.. state.State.Goals]);

    public async Task<GoalCreation?> FindOrCreateAsync(Goal goal)
    {
        if (state.State.Goals.FirstOrDefault(g => g.SameTarget(goal)) is { } existing)
        {
            return new GoalCreation(existing, Created: false);
        }

        if (state.State.Goals.Any(g => string.Equals(g.DisplayName, goal.DisplayName, StringComparison.Ordinal)))
        {
            return null;
        }

        var stored = goal with { Id = ++state.State.LastId, CreatedAt = time.GetUtcNow().UtcDateTime };
        state.State.Goals.Add(stored);
        await state.WriteStateAsync();
        return new GoalCreation(stored, Created: true);
    }

    public async Task<bool> DeleteAsync(long id)
    {
        if (state.State.Goals.RemoveAll(g => g.Id == id) == 0)
        {
            return false;
        }

        // A funnel step without its goal means nothing (Plausible deletes such funnels too).
        state.State.Funnels.RemoveAll(f => f.GoalIds.Contains(id));
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<Funnel>> ListFunnelsAsync() => Task.FromResult<IReadOnlyList<Funnel>>([.. state.State.Funnels]);

    public async Task<Funnel?> CreateFunnelAsync(Funnel funnel)
    {
        if (state.State.Funnels.Any(f => string.Equals(f.Name, funnel.Name, StringComparison.Ordinal))
            || !funnel.GoalIds.All(id => state.State.Goals.Any(g => g.Id == id)))
        {
            return null;
        }

        var stored = funnel with { Id = ++state.State.LastFunnelId, CreatedAt = time.GetUtcNow().UtcDateTime };
        state.State.Funnels.Add(stored);
        await state.WriteStateAsync();
        return stored;
    }

    public async Task<bool> DeleteFunnelAsync(long id)
    {
        if (state.State.Funnels.RemoveAll(f => f.Id == id) == 0)
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
