using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Goals;

/// <summary>A site's goals (key: the domain). Validation happens before: the grain only keeps them unique.</summary>
[Alias("ISiteGoalsGrain")]
public interface ISiteGoalsGrain : IGrainWithStringKey
{
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<Goal>> ListAsync();

    /// <summary>
    /// The goal counting the same thing as <paramref name="goal"/> if there is one (Created false), else
    /// <paramref name="goal"/> stored under a new id. Null when another goal already has its display name.
    /// </summary>
    [Alias("FindOrCreate")]
    Task<GoalCreation?> FindOrCreateAsync(Goal goal);

    /// <summary>False when the site has no goal with that id.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(long id);

    /// <summary>Forgets every goal (the site is being erased).</summary>
    [Alias("Clear")]
    Task ClearAsync();
}
