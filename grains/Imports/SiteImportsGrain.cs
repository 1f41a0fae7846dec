using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Imports;

public sealed class SiteImportsGrain(
    [PersistentState("imports", StorageNames.Analytics)] IPersistentState<SiteImportsState> state,
    TimeProvider time)
    : Grain, ISiteImportsGrain
{
    public Task<IReadOnlyList<SiteImport>> ListAsync() => Task.FromResult<IReadOnlyList<SiteImport>>([.. state.State.Imports]);

    public async Task<SiteImport?> StartAsync(SiteImport import, int rows)
    {
        if (import.Source == SiteImport.PlausibleCsv
            && state.State.Imports.FirstOrDefault(i => i.ContentHash == import.ContentHash && i.Status == SiteImport.Completed) is { } same)
        {
            return same;
        }

        if (state.State.Rows.Values.Sum(r => r.Count) + (import.Source == SiteImport.PlausibleCsv ? rows : 0) > ISiteImportsGrain.MaxRows
            || (import.Source == SiteImport.EventsCsv && state.State.EventIds.Count + rows > ISiteImportsGrain.MaxEventIds))
        {
            return null;
        }

        var started = import with { Id = ++state.State.LastId, Status = SiteImport.Running, RowsTotal = rows, CreatedAt = time.GetUtcNow().UtcDateTime };
        state.State.Imports.Add(started);
        await state.WriteStateAsync();
        return started;
    }

    public async Task<SiteImport> CompleteAggregatesAsync(long id, IReadOnlyList<ImportedRow> rows, int firstDay, int lastDay)
    {
        state.State.Rows[id] = [.. rows];
        return await UpdateAsync(id, i => i with
        {
            Status = SiteImport.Completed, RowsDone = rows.Count, FirstDay = firstDay, LastDay = lastDay, CompletedAt = time.GetUtcNow().UtcDateTime,
        });
    }

    public Task<IReadOnlyList<Guid>> NewEventsAsync(IReadOnlyList<Guid> ids) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. ids.Where(id => !state.State.EventIds.Contains(id))]);

    public async Task<SiteImport> EventsAppendedAsync(long id, IReadOnlyList<Guid> ids, int done, int skipped)
    {
        state.State.EventIds.UnionWith(ids);
        return await UpdateAsync(id, i => i with { RowsDone = done, RowsSkipped = skipped });
    }

    public Task<SiteImport> FinishAsync(long id, string? problem) =>
        UpdateAsync(id, i => i with
        {
            Status = problem is null ? SiteImport.Completed : SiteImport.Failed,
            Problems = problem is null ? i.Problems : [.. i.Problems, problem],
            CompletedAt = time.GetUtcNow().UtcDateTime,
        });

    public Task<QueryResult> AggregateAsync(StatsQuery query, string table) =>
        Task.FromResult(ImportedAggregation.Run(query, ImportedTable.Find(table) ?? throw new ArgumentException($"Unknown imported table '{table}'."),
            state.State.Rows.Values.SelectMany(r => r)));

    public async Task<bool> DeleteAsync(long id)
    {
        if (state.State.Imports.RemoveAll(i => i.Id == id) == 0)
        {
            return false;
        }

        state.State.Rows.Remove(id);
        await state.WriteStateAsync();
        return true;
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private async Task<SiteImport> UpdateAsync(long id, Func<SiteImport, SiteImport> change)
    {
        var at = state.State.Imports.FindIndex(i => i.Id == id);
        if (at < 0)
        {
            throw new KeyNotFoundException($"Import {id} is not known (deleted while it ran?).");
        }

        state.State.Imports[at] = change(state.State.Imports[at]);
        await state.WriteStateAsync();
        return state.State.Imports[at];
    }
}
