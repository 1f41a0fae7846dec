using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Goals;

/// <summary>
/// A site's goals and the funnels made of them (key: the domain). Validation happens before: the grain only keeps them
/// unique, and a goal's delete takes the funnels using it along.
/// </summary>
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

    [Alias("ListFunnels"), ReadOnly]
    Task<IReadOnlyList<Funnel>> ListFunnelsAsync();

    /// <summary>
    /// <paramref name="funnel"/> stored under a new id; null when another funnel has its name or a step names no goal of
    /// the site.
    /// </summary>
    [Alias("CreateFunnel")]
    Task<Funnel?> CreateFunnelAsync(Funnel funnel);

    /// <summary>False when the site has no funnel with that id.</summary>
    [Alias("DeleteFunnel")]
    Task<bool> DeleteFunnelAsync(long id);

    /// <summary>Forgets every goal and funnel (the site is being erased).</summary>
    [Alias("Clear")]
    Task ClearAsync();
}
