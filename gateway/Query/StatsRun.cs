using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Query;

/// <summary>
/// One answered query (<see cref="Problem"/> null), with the comparison's answer when include.comparisons asked for one,
/// or the problem that stopped it.
/// </summary>
public sealed record StatsRun(
    SiteSettings? Site, StatsRequest? Request, QueryResult? Result, QueryResult? Comparison, QueryCacheOutcome Outcome, ProblemHttpResult? Problem)
{
    public StatsQuery Query => Request!.Query;

    /// <summary>With include.imports: whether imported stats are in the answer, or why not.</summary>
    public ImportsOutcome? Imports { get; init; }

    public static StatsRun Failed(ProblemHttpResult problem) => new(null, null, null, null, default, problem);
}
