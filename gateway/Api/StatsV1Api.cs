using System.Security.Claims;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Query;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// Plausible's Stats API v1 (GET /api/v1/stats/aggregate, /timeseries, /breakdown, /realtime/visitors) on the same engine
/// as v2: each query string becomes a v2 body (<see cref="StatsV1Translator"/>) and the answer takes v1's shape. Errors are
/// problem+json that also carry Plausible's {"error": "…"} member, so both kinds of clients read them.
/// </summary>
public static class StatsV1Api
{
    public static IEndpointRouteBuilder MapStatsV1Api(this IEndpointRouteBuilder app)
    {
        var stats = app.MapGroup("/api/v1/stats").WithTags("Stats API v1").RequireAuthorization(AccessPolicies.StatsRead).RequireQueryLimits();
        stats.MapGet("/aggregate", AggregateAsync).WithName("StatsV1Aggregate")
            .WithSummary("Totals over a period: {\"results\": {\"visitors\": {\"value\": 1}}}; compare=previous_period adds comparison_value and change.");
        stats.MapGet("/timeseries", TimeseriesAsync).WithName("StatsV1Timeseries")
            .WithSummary("One row per hour, day (interval=date), week or month, empty ones included; hours by default for period=day, months for 6mo and 12mo.");
        stats.MapGet("/breakdown", BreakdownAsync).WithName("StatsV1Breakdown")
            .WithSummary("Rows per value of property (event:page, visit:source, event:goal …), biggest first; limit (≤ 1000) and page.");
        return app;
    }

    private static Task<Results<Ok<Dictionary<string, Dictionary<string, StatsV1Value>>>, ProblemHttpResult>> AggregateAsync(
        [AsParameters] StatsV1Request request, ClaimsPrincipal user, StatsQueryRunner runner, CancellationToken cancellationToken) =>
        RunAsync<Dictionary<string, Dictionary<string, StatsV1Value>>>(async () =>
        {
            using var body = StatsV1Translator.Aggregate(request);
            var run = await runner.RunAsync(body.RootElement, user, cancellationToken, goalsMustExist: false);
            return (run, run.Problem is null ? Aggregate(run) : null);
        });

    private static Task<Results<Ok<Dictionary<string, List<Dictionary<string, object>>>>, ProblemHttpResult>> TimeseriesAsync(
        [AsParameters] StatsV1Request request, ClaimsPrincipal user, StatsQueryRunner runner, CancellationToken cancellationToken) =>
        RunAsync<Dictionary<string, List<Dictionary<string, object>>>>(async () =>
        {
            using var body = StatsV1Translator.Timeseries(request);
            var run = await runner.RunAsync(body.RootElement, user, cancellationToken, goalsMustExist: false);
            // v1 lists every bucket of the period, empty ones as zeros.
            return (run, run.Problem is null ? Rows(run.Query, TimeBuckets.Filled(run.Query, run.Result!), "date") : null);
        });

    private static Task<Results<Ok<Dictionary<string, List<Dictionary<string, object>>>>, ProblemHttpResult>> BreakdownAsync(
        [AsParameters] StatsV1Request request, ClaimsPrincipal user, StatsQueryRunner runner, CancellationToken cancellationToken) =>
        RunAsync<Dictionary<string, List<Dictionary<string, object>>>>(async () =>
        {
            using var body = StatsV1Translator.Breakdown(request);
            var run = await runner.RunAsync(body.RootElement, user, cancellationToken, goalsMustExist: false);
            return (run, run.Problem is null ? Rows(run.Query, run.Result!.Rows, StatsV1Translator.RowKey(request.Property!)) : null);
        });

    private static async Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(Func<Task<(StatsRun Run, T? Answer)>> run)
        where T : class
    {
        try
        {
            var (result, answer) = await run();
            return result.Problem is { } problem ? problem.WithError() : TypedResults.Ok(answer!);
        }
        catch (QueryValidationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query").WithError();
        }
    }

    /// <summary>Each metric's value; with compare=previous_period also the previous period's and the change.</summary>
    private static Dictionary<string, Dictionary<string, StatsV1Value>> Aggregate(StatsRun run)
    {
        var query = run.Query;
        var current = run.Result!.Rows.FirstOrDefault()?.Metrics;
        var before = run.Comparison?.Rows.FirstOrDefault()?.Metrics;
        var values = new Dictionary<string, StatsV1Value>(StringComparer.Ordinal);
        for (var i = 0; i < query.Metrics.Count; i++)
        {
            var value = current?[i] ?? 0;
            values[query.Metrics[i]] = run.Comparison is null
                ? new StatsV1Value(value)
                : new StatsV1Value(value, before?[i] ?? 0, MetricChange.Of(query.Metrics[i], before?[i] ?? 0, value));
        }

        return new() { ["results"] = values };
    }

    private static Dictionary<string, List<Dictionary<string, object>>> Rows(StatsQuery query, IEnumerable<QueryResultRow> rows, string key) =>
        new()
        {
            ["results"] = [.. rows.Select(r =>
            {
                var row = new Dictionary<string, object>(StringComparer.Ordinal) { [key] = r.Dimensions[0] };
                for (var i = 0; i < query.Metrics.Count; i++)
                {
                    row[query.Metrics[i]] = r.Metrics[i];
                }

                return row;
            })],
        };
}
