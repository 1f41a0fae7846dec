using System.Text.Json;
using Analytics.Gateway.Access;
using Analytics.Gateway.Query;
using Analytics.Gateway.SavedSegments;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.SavedSegments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's saved segments: list (any credential for the site), create, update and delete (sites:manage). Queries use
/// them as ["is", "segment", [id]] (<see cref="SavedSegmentFilters"/>).
/// </summary>
public static class SavedSegmentsApi
{
    public static IEndpointRouteBuilder MapSavedSegmentsApi(this IEndpointRouteBuilder app)
    {
        var segments = app.MapSiteGroup("segments", "Segments");
        segments.MapGet("/", ListAsync).WithName("ListSegments").WithSummary("The site's saved segments, oldest first.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        segments.MapPost("/", CreateAsync).WithName("CreateSegment")
            .WithSummary("Saves a segment: {\"name\", \"segment_data\": {\"filters\": [...]}}; 201, 400 when the filters do not parse, 409 when the name is taken.")
            .Accepts<SavedSegmentRequest>("application/json")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        segments.MapPatch("/{id:long}", UpdateAsync).WithName("UpdateSegment")
            .WithSummary("Renames a segment and/or replaces its filters (the keys given).")
            .Accepts<SavedSegmentRequest>("application/json")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        segments.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteSegment").WithSummary("Removes a segment.")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<SavedSegmentResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken) =>
        await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem
            ? problem
            : TypedResults.Ok<IReadOnlyList<SavedSegmentResponse>>(
                [.. (await (await GrainAsync(grains, sites, domain, cancellationToken)).ListAsync()).Select(SavedSegmentResponse.From)]);

    private static async Task<Results<Created<SavedSegmentResponse>, ProblemHttpResult>> CreateAsync(
        string domain, HttpRequest http, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var (fields, error) = await ReadAsync(http, partial: false, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var created = await (await GrainAsync(grains, sites, domain, cancellationToken)).CreateAsync(new SavedSegment { Name = fields.Name!, Filters = fields.Filters! });
        return created is null
            ? Conflict($"Another segment is already named '{fields.Name}', or the site has {ISiteSavedSegmentsGrain.MaxSegments} segments.")
            : TypedResults.Created($"/api/sites/{SiteDirectory.Normalize(domain)}/segments/{created.Id}", SavedSegmentResponse.From(created));
    }

    private static async Task<Results<Ok<SavedSegmentResponse>, ProblemHttpResult>> UpdateAsync(
        string domain, long id, HttpRequest http, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        var (fields, error) = await ReadAsync(http, partial: true, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return await (await GrainAsync(grains, sites, domain, cancellationToken)).UpdateAsync(id, fields.Name, fields.Filters) switch
        {
            { Segment: { } updated } => TypedResults.Ok(SavedSegmentResponse.From(updated)),
            { NameTaken: true } => Conflict($"Another segment is already named '{fields.Name}'."),
            _ => UnknownSegment(domain, id),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, long id, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ShareLinksApi.FindSiteAsync(domain, sites, cancellationToken) is { } problem)
        {
            return problem;
        }

        return await (await GrainAsync(grains, sites, domain, cancellationToken)).DeleteAsync(id) ? TypedResults.NoContent() : UnknownSegment(domain, id);
    }

    /// <summary>The segments of the registered site the route names (by its domain, or its former one; its grain by its key).</summary>
    private static async Task<ISiteSavedSegmentsGrain> GrainAsync(IGrainFactory grains, ISiteDirectory sites, string domain, CancellationToken cancellationToken) =>
        grains.GetGrain<ISiteSavedSegmentsGrain>((await sites.FindAsync(domain, cancellationToken))!.SiteKey);

    private static async Task<((string? Name, string? Filters) Fields, ProblemHttpResult? Error)> ReadAsync(
        HttpRequest http, bool partial, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
            return (SavedSegmentRequest.Validate(document.RootElement, partial), null);
        }
        catch (JsonException ex)
        {
            return (default, Invalid($"The body is not valid JSON: {ex.Message}"));
        }
        catch (QueryValidationException ex)
        {
            return (default, Invalid(ex.Message));
        }
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid segment");

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Segment exists");

    private static ProblemHttpResult UnknownSegment(string domain, long id) =>
        TypedResults.Problem($"Site '{domain}' has no segment {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown segment");
}
