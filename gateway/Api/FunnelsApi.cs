using System.Text;
using System.Text.Json;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Funnels;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Goals;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's funnels: list (any credential for the site), create and delete (sites:manage), and one funnel computed over
/// a period (stats:read): visitors per step, conversion and drop-off.
/// </summary>
public static class FunnelsApi
{
    public const int MaxNameLength = 120;

    public static IEndpointRouteBuilder MapFunnelsApi(this IEndpointRouteBuilder app)
    {
        var funnels = app.MapSiteGroup("funnels", "Funnels");
        funnels.MapGet("/", ListAsync).WithName("ListFunnels").WithSummary("The site's funnels, oldest first, each step named by its goal.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        funnels.MapPost("/", CreateAsync).WithName("CreateFunnel")
            .WithSummary("Adds a funnel: {\"name\", \"steps\": [2 to 8 goal ids or goal display names, in order]}; 201, 400, or 409 when the name is taken.")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        funnels.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteFunnel").WithSummary("Removes a funnel.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        funnels.MapGet("/{id:long}", ComputeAsync).WithName("Funnel")
            .WithSummary("The funnel over a period (period: a Stats API v2 date_range preset, default 30d, or from and to as ISO dates; date; filters: a v2 filters array as JSON): visitors per step, conversion and drop-off.")
            .RequireAuthorization(AccessPolicies.StatsRead)
            .RequireQueryLimits()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<FunnelResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var store = grains.GetGrain<ISiteGoalsGrain>((await sites.FindAsync(domain, cancellationToken))!.SiteKey);
        var goals = await store.ListAsync();
        return TypedResults.Ok<IReadOnlyList<FunnelResponse>>([.. (await store.ListFunnelsAsync()).Select(f => FunnelResponse.From(f, goals))]);
    }

    private static async Task<Results<Created<FunnelResponse>, ProblemHttpResult>> CreateAsync(
        string domain, HttpRequest http, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var registered = (await sites.FindAsync(domain, cancellationToken))!;
        var site = registered.Domain;
        var store = grains.GetGrain<ISiteGoalsGrain>(registered.SiteKey);
        var goals = await store.ListAsync();
        var (funnel, error) = await ReadAsync(http, goals, cancellationToken);
        if (funnel is null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid funnel");
        }

        return await store.CreateFunnelAsync(funnel) is { } created
            ? TypedResults.Created($"/api/sites/{site}/funnels/{created.Id}", FunnelResponse.From(created, goals))
            : TypedResults.Problem($"Another funnel is already named '{funnel.Name}' (or a step's goal was deleted meanwhile).",
                statusCode: StatusCodes.Status409Conflict, title: "Funnel exists");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, long id, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        return await grains.GetGrain<ISiteGoalsGrain>((await sites.FindAsync(domain, cancellationToken))!.SiteKey).DeleteFunnelAsync(id)
            ? TypedResults.NoContent()
            : UnknownFunnel(domain, id);
    }

    private static async Task<Results<Ok<FunnelReport>, ProblemHttpResult>> ComputeAsync(
        string domain, long id, string? period, string? from, string? to, string? date, string? filters,
        ISiteDirectory sites, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");
        }

        var store = grains.GetGrain<ISiteGoalsGrain>(site.SiteKey);
        var goals = await store.ListAsync();
        if ((await store.ListFunnelsAsync()).FirstOrDefault(f => f.Id == id) is not { } funnel)
        {
            return UnknownFunnel(domain, id);
        }

        StatsRequest request;
        try
        {
            using var body = JsonDocument.Parse(Body(site.Domain, period, from, to, date, filters));
            request = StatsQueryParser.Parse(body.RootElement, site, time.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex) when (ex is QueryValidationException or JsonException or ArgumentException)
        {
            return TypedResults.Problem(ex is QueryValidationException ? ex.Message : "filters must be a Stats API v2 filters array, as JSON.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
        }

        var steps = funnel.GoalIds.Select(g => goals.First(goal => goal.Id == g)).ToList();
        var result = await grains.GetGrain<ISiteGrain>(site.SiteKey).FunnelAsync(request.Query with { Goals = steps });
        return TypedResults.Ok(FunnelReport.From(FunnelResponse.From(funnel, goals), request.DateRange, result));
    }

    /// <summary>The period as a Stats API v2 body, so it is read (and refused) exactly as a query's.</summary>
    private static string Body(string site, string? period, string? from, string? to, string? date, string? filters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("site_id", site);
            json.WriteStartArray("metrics");
            json.WriteStringValue(MetricNames.Visitors);
            json.WriteEndArray();
            if (from is not null || to is not null)
            {
                json.WriteStartArray("date_range");
                json.WriteStringValue(from ?? string.Empty);
                json.WriteStringValue(to ?? string.Empty);
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("date_range", period ?? "30d");
            }

            if (date is not null)
            {
                json.WriteString("date", date);
            }

            if (filters is not null)
            {
                json.WritePropertyName("filters");
                json.WriteRawValue(filters);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>{"name", "steps": [goal ids or display names]} read against the site's goals, or what is wrong with it.</summary>
    private static async Task<(Funnel? Funnel, string Error)> ReadAsync(HttpRequest http, IReadOnlyList<Goal> goals, CancellationToken cancellationToken)
    {
        const string shape = "The body is {\"name\": \"Signup flow\", \"steps\": [2 to 8 goal ids or goal display names, in order]}.";
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (null, shape);
        }

        using var owned = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("steps", out var stepsElement) || stepsElement.ValueKind != JsonValueKind.Array)
        {
            return (null, shape);
        }

        var name = nameElement.GetString()!.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            return (null, $"name must be 1 to {MaxNameLength} characters.");
        }

        if (stepsElement.GetArrayLength() is < Funnel.MinSteps or > Funnel.MaxSteps)
        {
            return (null, $"A funnel has {Funnel.MinSteps} to {Funnel.MaxSteps} steps.");
        }

        var ids = new List<long>();
        foreach (var step in stepsElement.EnumerateArray())
        {
            var goal = step.ValueKind switch
            {
                JsonValueKind.Number when step.TryGetInt64(out var goalId) => goals.FirstOrDefault(g => g.Id == goalId),
                JsonValueKind.String => goals.FirstOrDefault(g => string.Equals(g.DisplayName, step.GetString(), StringComparison.Ordinal)),
                _ => null,
            };
            if (goal is null)
            {
                return (null, $"Step {ids.Count + 1} ({step.GetRawText()}) names no goal of the site; create the goal first.");
            }

            if (ids.Contains(goal.Id))
            {
                return (null, $"Goal '{goal.DisplayName}' is a step twice; each step is another goal.");
            }

            ids.Add(goal.Id);
        }

        return (new Funnel { Name = name, GoalIds = ids }, string.Empty);
    }

    private static ProblemHttpResult UnknownFunnel(string domain, long id) =>
        TypedResults.Problem($"Site '{domain}' has no funnel {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown funnel");
}
