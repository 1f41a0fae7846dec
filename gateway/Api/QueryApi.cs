using System.Security.Claims;
using System.Text.Json;
using System.Text.Unicode;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

public static class QueryApi
{
    /// <summary>hit, miss (closed range, computed and stored) or bypass (open range, never cached).</summary>
    public const string CacheHeader = "X-Analytics-Cache";

    public static IEndpointRouteBuilder MapQueryApi(this IEndpointRouteBuilder app)
    {
        // Every read answers the same problems and shares the read limits.
        var reads = app.MapGroup("/api")
            .WithTags("Stats")
            .RequireAuthorization(AccessPolicies.StatsRead)
            .RequireQueryLimits()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        reads.MapPost("/v2/query", QueryAsync)
            .WithName("Query")
            .WithSummary("Plausible Stats API v2 query: metrics over a date range, by any dimensions and a time dimension, filtered by a filter tree, with comparisons.")
            .Accepts<StatsQueryRequest>("application/json");

        // Plausible's path, and ours from before it.
        foreach (var (path, name) in new[] { ("/v1/stats/realtime/visitors", "StatsV1RealtimeVisitors"), ("/v1/realtime/visitors", "RealtimeVisitors") })
        {
            reads.MapGet(path, RealtimeAsync)
                .WithName(name)
                .WithSummary("Unique visitors in the last five minutes.");
        }

        return app;
    }

    private static async Task<Results<Ok<QueryResponse>, ProblemHttpResult>> QueryAsync(
        HttpRequest request, ClaimsPrincipal user, StatsQueryRunner runner, CancellationToken cancellationToken)
    {
        // Buffered (bounded by the server's body limit) so invalid UTF-8 inside strings is a 400 here rather than an
        // InvalidOperationException when a string is read.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (!Utf8.IsValid(body.GetBuffer().AsSpan(0, (int)body.Length)))
        {
            return BadRequest("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return BadRequest($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                var run = await runner.RunAsync(document.RootElement, user, cancellationToken);
                if (run.Problem is { } problem)
                {
                    return problem;
                }

                request.HttpContext.Response.Headers[CacheHeader] = run.Outcome.ToString().ToLowerInvariant();
                return TypedResults.Ok(ToResponse(run));
            }
            catch (QueryValidationException ex)
            {
                return BadRequest(ex.Message);
            }
        }
    }

    private static async Task<Results<Ok<long>, ProblemHttpResult>> RealtimeAsync(
        string? site_id, ClaimsPrincipal user, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(site_id))
        {
            return BadRequest("site_id is required.");
        }

        var (found, forbidden) = await SiteAccess.FindAsync(user, site_id, sites, TimeProvider.System, cancellationToken);
        if (forbidden)
        {
            return AccessProblems.SiteForbidden(site_id);
        }

        if (found is not { } site)
        {
            return NotFound(site_id);
        }

        return TypedResults.Ok(await grains.GetGrain<ISiteGrain>(site.SiteKey).GetRealtimeVisitorsAsync());
    }


    private static QueryResponse ToResponse(StatsRun run)
    {
        var (request, query, result) = (run.Request!, run.Query, run.Result!);
        var comparisons = request.Comparison is { } comparison
            ? Comparisons.Join(query, result, comparison, run.Comparison!)
            : null;
        return new QueryResponse(
            [.. result.Rows.Select((r, i) => new QueryResponseRow(RevenueMetrics.Row(query, result, r.Dimensions, r.Metrics), r.Dimensions, comparisons?[i]))],
            new QueryResponseMeta(result.TotalRows, request.TimeLabels ? TimeBuckets.Labels(query) : null, run.Imports?.Included, run.Imports?.Warning,
                RevenueMetrics.Warnings(query, result)),
            new QueryResponseEcho(run.Site!.Domain, query.Metrics, request.DateRange, query.Dimensions, query.Timezone, request.ComparisonDateRange));
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");

    private static ProblemHttpResult NotFound(string siteId) =>
        TypedResults.Problem($"No site '{siteId}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");
}
