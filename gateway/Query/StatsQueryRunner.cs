using System.Security.Claims;
using System.Text.Json;
using Analytics.Gateway.Access;
using Analytics.Gateway.Caching;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Imports;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.SavedSegments;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Query;

/// <summary>
/// Answers a Stats API v2 body for a caller: site scope before existence (so a key cannot probe which sites exist), the
/// site's lookup, saved segments expanded into their filters, validation, then the result (and the comparison's, in parallel) from the shared cache (closed periods)
/// or the grains. Shared by the v2
/// endpoint and the v1 endpoints, which translate their query strings into a v2 body.
/// </summary>
public sealed class StatsQueryRunner(ISiteDirectory sites, IGrainFactory grains, QueryResultCache results, IOptions<RevenueOptions> revenue, TimeProvider time)
{
    /// <summary>The largest answer one query may produce; larger ones are refused (400), not sent.</summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The answer, or the problem to return instead. <see cref="QueryValidationException"/> is left to the caller.
    /// <paramref name="goalsMustExist"/>: a top-level `is` filter on event:goal must name configured goals (Stats API v2;
    /// v1 answers such a filter with nothing, as Plausible's v1 skips the check).
    /// </summary>
    public async Task<StatsRun> RunAsync(JsonElement root, ClaimsPrincipal user, CancellationToken cancellationToken, bool goalsMustExist = true)
    {
        var siteId = StatsQueryParser.ReadSiteId(root);
        var (found, forbidden) = await SiteAccess.FindAsync(user, siteId, sites, time, cancellationToken);
        if (forbidden)
        {
            return StatsRun.Failed(AccessProblems.SiteForbidden(siteId));
        }

        if (found is not { } site)
        {
            return StatsRun.Failed(TypedResults.Problem($"No site '{siteId}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site"));
        }

        if (SavedSegmentFilters.Mentions(root))
        {
            root = SavedSegmentFilters.Expand(root, await grains.GetGrain<ISiteSavedSegmentsGrain>(site.SiteKey).ListAsync());
        }

        var parsed = StatsQueryParser.Parse(root, site, time.GetUtcNow().UtcDateTime);
        var rates = RevenueRates.For(site.RevenueRates ?? new Dictionary<string, decimal>(), revenue.Value.Rates);
        var request = parsed with
        {
            Query = await GoalQueries.WithGoalsAsync(parsed.Query, grains, rates),
            Comparison = parsed.Comparison is { } other ? await GoalQueries.WithGoalsAsync(other, grains, rates) : null,
        };
        if (goalsMustExist)
        {
            GoalQueries.ValidateGoalsExist(request.Query);
        }

        var grain = grains.GetGrain<ISiteGrain>(site.SiteKey);
        var imports = request.Imports ? await ImportsAsync(site, request) : null;
        Task<(QueryResult Result, QueryCacheOutcome Outcome)> Run(StatsQuery query) => imports?.Table is { } table
            ? RunWithImportsAsync(grain, site, query, table, cancellationToken)
            : results.GetOrRunAsync(query, q => RunAsync(grain, q), cancellationToken);

        var main = Run(request.Query);
        var comparison = request.Comparison is { } c ? Run(c) : null;
        if (comparison is not null)
        {
            // Both awaited together, so a failure of either is observed (and the first one thrown).
            await Task.WhenAll(main, comparison);
        }

        var (result, outcome) = await main;
        var compared = comparison is null ? null : (await comparison).Result;
        if (AnswerBytes(result) + (compared is null ? 0 : AnswerBytes(compared)) > MaxAnswerBytes)
        {
            return StatsRun.Failed(TypedResults.Problem(
                $"The answer would exceed {MaxAnswerBytes / (1024 * 1024)} MB; ask for fewer rows (pagination.limit) or a narrower query.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid query"));
        }

        return new StatsRun(site, request, result, compared, outcome, null) { Imports = imports };
    }

    /// <summary>
    /// Whether imports are included (the table answering the query) or why not (a warning), for include.imports. A site
    /// without completed aggregate imports touching either range has nothing to include and no warning.
    /// </summary>
    private async Task<ImportsOutcome> ImportsAsync(SiteSettings site, StatsRequest request)
    {
        var zone = TimeZones.Find(site.Timezone);
        int Day(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone)).DayNumber;
        var ranges = new[] { request.Query, request.Comparison }.OfType<StatsQuery>().Select(q => (First: Day(q.FromUtc), Last: Day(q.ToUtc.AddTicks(-1)))).ToList();
        var any = (await grains.GetGrain<ISiteImportsGrain>(site.SiteKey).ListAsync()).Any(i =>
            i.Source == SiteImport.PlausibleCsv && i.Status == SiteImport.Completed && ranges.Any(r => i.FirstDay <= r.Last && i.LastDay >= r.First));
        if (!any)
        {
            return new ImportsOutcome(null, null);
        }

        var (table, warning) = ImportedStats.Plan(request.Query);
        return new ImportsOutcome(table, warning);
    }

    private async Task<(QueryResult Result, QueryCacheOutcome Outcome)> RunWithImportsAsync(
        ISiteGrain grain, SiteSettings site, StatsQuery query, ImportedTable table, CancellationToken cancellationToken)
    {
        var native = ImportedStats.NativeQuery(query);
        var nativeRun = results.GetOrRunAsync(native, q => RunAsync(grain, q), cancellationToken);
        var imported = grains.GetGrain<ISiteImportsGrain>(site.SiteKey).AggregateAsync(query, table.Name);
        await Task.WhenAll(nativeRun, imported);
        var (nativeResult, outcome) = await nativeRun;
        return (ImportedStats.Merge(query, native, nativeResult, await imported), outcome);
    }

    /// <summary>A query the engine cannot answer (yet) is the caller's 400, not a server error.</summary>
    private static async Task<QueryResult> RunAsync(ISiteGrain grain, StatsQuery query)
    {
        try
        {
            return await grain.RunAsync(query);
        }
        catch (NotSupportedException ex)
        {
            throw new QueryValidationException(ex.Message);
        }
    }

    /// <summary>An upper estimate of the JSON answer: each number at most 24 bytes, each dimension value escaped at most 6×.</summary>
    private static long AnswerBytes(QueryResult result) =>
        result.Rows.Sum(r => 32L + r.Metrics.Count * 24L + r.Dimensions.Sum(d => 8L + 6L * d.Length));

    /// <summary>Today in the site's time zone, for APIs whose periods end at a given date.</summary>
    public DateOnly Today(SiteSettings site) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, TimeZones.Find(site.Timezone)));
}
