using Analytics.Gateway.Access;
using Analytics.Gateway.Goals;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Goals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>A site's goals on our paths: list (any credential for the site), create and delete (sites:manage).</summary>
public static class GoalsApi
{
    public static IEndpointRouteBuilder MapGoalsApi(this IEndpointRouteBuilder app)
    {
        var goals = app.MapSiteGroup("goals", "Goals");
        goals.MapGet("/", ListAsync).WithName("ListGoals").WithSummary("The site's goals, oldest first.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        goals.MapPost("/", CreateAsync).WithName("CreateGoal")
            .WithSummary("Adds a goal: {\"event_name\"} (optionally custom_props, currency) or {\"page_path\"} (optionally scroll_threshold); 201, or 409 when it exists.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        goals.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteGoal").WithSummary("Removes a goal.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<GoalResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var site = (await sites.FindAsync(domain, cancellationToken))!;
        return TypedResults.Ok<IReadOnlyList<GoalResponse>>(
            [.. (await grains.GetGrain<ISiteGoalsGrain>(site.SiteKey).ListAsync()).Select(g => GoalResponse.From(site.Domain, g))]);
    }

    private static async Task<Results<Created<GoalResponse>, ProblemHttpResult>> CreateAsync(
        string domain, HttpRequest http, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var fields = await GoalFields.ReadAsync(http, cancellationToken);
        var (goal, error) = fields is null ? (null, "The body must be a JSON object describing the goal.") : GoalValidator.Validate(fields);
        if (goal is null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid goal");
        }

        var site = (await sites.FindAsync(domain, cancellationToken))!;
        return await grains.GetGrain<ISiteGoalsGrain>(site.SiteKey).FindOrCreateAsync(goal) switch
        {
            { Created: true, Goal: var created } => TypedResults.Created($"/api/sites/{site.Domain}/goals/{created.Id}", GoalResponse.From(site.Domain, created)),
            { Goal: var existing } => TypedResults.Problem($"The site already has this goal (id {existing.Id}, '{existing.DisplayName}').",
                statusCode: StatusCodes.Status409Conflict, title: "Goal exists"),
            null => TypedResults.Problem($"Another goal is already named '{goal.DisplayName}'; choose another display_name.",
                statusCode: StatusCodes.Status409Conflict, title: "Goal exists"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, long id, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        return await grains.GetGrain<ISiteGoalsGrain>((await sites.FindAsync(domain, cancellationToken))!.SiteKey).DeleteAsync(id)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"Site '{domain}' has no goal {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown goal");
    }
}
