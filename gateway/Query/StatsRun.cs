using Analytics.Gateway.Caching;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Query;

/// <summary>One answered query (<see cref="Problem"/> null), or the problem that stopped it.</summary>
public sealed record StatsRun(SiteSettings? Site, AnalyticsQuery? Query, QueryResult? Result, QueryCacheOutcome Outcome, ProblemHttpResult? Problem)
{
    public static StatsRun Failed(ProblemHttpResult problem) => new(null, null, null, default, problem);
}
