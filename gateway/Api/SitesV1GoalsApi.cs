using System.Security.Claims;
using Analytics.Gateway.Access;
using Analytics.Gateway.Goals;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Goals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// Plausible's goal endpoints of its Sites API: PUT /api/v1/sites/goals (find or create, 200 either way),
/// GET /api/v1/sites/goals?site_id= ({"goals": […], "meta": {…}}), DELETE /api/v1/sites/goals/{goal_id} ({"deleted": true}).
/// </summary>
public static class SitesV1GoalsApi
{
    public static IEndpointRouteBuilder MapSitesV1GoalsApi(this IEndpointRouteBuilder app)
    {
        var goals = app.MapGroup("/api/v1/sites/goals").WithTags("Sites API v1");
        goals.MapPut("/", FindOrCreateAsync).WithName("SitesV1Goal")
            .WithSummary("Finds or creates a goal: site_id, goal_type (event | page), event_name or page_path; JSON or a form.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        goals.MapGet("/", ListAsync).WithName("SitesV1Goals")
            .WithSummary("{\"goals\": [{\"id\", \"display_name\", \"goal_type\", \"event_name\", \"page_path\"}], \"meta\": {…}}.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        goals.MapDelete("/{goalId}", DeleteAsync).WithName("SitesV1DeleteGoal")
            .WithSummary("Deletes a goal of site_id (in the body or the query string): {\"deleted\": true}.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Ok<GoalResponse>, ProblemHttpResult>> FindOrCreateAsync(
        HttpRequest http, ClaimsPrincipal user, ISiteDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var fields = await GoalFields.ReadAsync(http, cancellationToken);
        var (site, problem) = await SitesV1Api.FindSiteAsync(fields?.SiteId, user, directory, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(fields!.GoalType))
        {
            return SitesV1Api.Problem(StatusCodes.Status400BadRequest, "Parameter `goal_type` is required to create a goal");
        }

        var (goal, error) = GoalValidator.Validate(fields);
        if (goal is null)
        {
            return SitesV1Api.Problem(StatusCodes.Status400BadRequest, error!);
        }

        return await grains.GetGrain<ISiteGoalsGrain>(site.SiteKey).FindOrCreateAsync(goal) is { } found
            ? TypedResults.Ok(GoalResponse.From(site.Domain, found.Goal))
            : SitesV1Api.Problem(StatusCodes.Status400BadRequest, $"display_name: has already been taken ('{goal.DisplayName}').");
    }

    private static async Task<Results<Ok<SitesV1Goals>, ProblemHttpResult>> ListAsync(
        string? site_id, ClaimsPrincipal user, ISiteDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (site, problem) = await SitesV1Api.FindSiteAsync(site_id, user, directory, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        // Newest first, as Plausible pages them; one page holds every goal of a site.
        var goals = (await grains.GetGrain<ISiteGoalsGrain>(site.SiteKey).ListAsync()).OrderByDescending(g => g.Id)
            .Select(g => GoalResponse.From(site.Domain, g)).ToList();
        return TypedResults.Ok(new SitesV1Goals(goals, new SitesV1Meta(null, null, Math.Max(100, goals.Count))));
    }

    private static async Task<Results<Ok<SitesV1Deleted>, ProblemHttpResult>> DeleteAsync(
        string goalId, HttpRequest http, ClaimsPrincipal user, ISiteDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var siteId = http.Query["site_id"].FirstOrDefault();
        if (siteId is null && SitesV1Api.HasBody(http))
        {
            siteId = (await GoalFields.ReadAsync(http, cancellationToken))?.SiteId;
        }

        var (site, problem) = await SitesV1Api.FindSiteAsync(siteId, user, directory, cancellationToken);
        if (site is null)
        {
            return problem!;
        }

        return long.TryParse(goalId, out var id) && await grains.GetGrain<ISiteGoalsGrain>(site.SiteKey).DeleteAsync(id)
            ? TypedResults.Ok(new SitesV1Deleted(true))
            : TypedResults.Problem("Goal could not be found", statusCode: StatusCodes.Status404NotFound, title: "Unknown goal").WithError();
    }
}
