using Analytics.GrainInterfaces.SavedSegments;

namespace Analytics.Grains.SavedSegments;

public sealed class SiteSavedSegmentsGrain(
    [PersistentState("segments", StorageNames.Analytics)] IPersistentState<SiteSavedSegmentsState> state,
    TimeProvider time)
    : Grain, ISiteSavedSegmentsGrain
{
    public Task<IReadOnlyList<SavedSegment>> ListAsync() => Task.FromResult<IReadOnlyList<SavedSegment>>([.. state.State.Segments]);

    public async Task<SavedSegment?> CreateAsync(SavedSegment segment)
    {
        if (state.State.Segments.Count >= ISiteSavedSegmentsGrain.MaxSegments || NameTaken(segment.Name, except: null))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var stored = segment with { Id = ++state.State.LastId, CreatedAt = now, UpdatedAt = now };
        state.State.Segments.Add(stored);
        await state.WriteStateAsync();
        return stored;
    }

    public async Task<SavedSegmentUpdate> UpdateAsync(long id, string? name, string? filters)
    {
        var at = state.State.Segments.FindIndex(s => s.Id == id);
        if (at < 0)
        {
            return new SavedSegmentUpdate(null, NameTaken: false);
        }

        if (name is not null && NameTaken(name, except: id))
        {
            return new SavedSegmentUpdate(null, NameTaken: true);
        }

        var current = state.State.Segments[at];
        var updated = current with { Name = name ?? current.Name, Filters = filters ?? current.Filters, UpdatedAt = time.GetUtcNow().UtcDateTime };
        state.State.Segments[at] = updated;
        await state.WriteStateAsync();
        return new SavedSegmentUpdate(updated, NameTaken: false);
    }

    public async Task<bool> DeleteAsync(long id)
    {
        if (state.State.Segments.RemoveAll(s => s.Id == id) == 0)
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

    private bool NameTaken(string name, long? except) =>
        state.State.Segments.Any(s => s.Id != except && string.Equals(s.Name, name, StringComparison.Ordinal));
}
