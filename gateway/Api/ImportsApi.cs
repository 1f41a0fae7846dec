using Analytics.Gateway.Access;
using Analytics.Gateway.Imports;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Imports;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// A site's imports: upload a Plausible CSV export (its zip, or one of its imported_*.csv files) or our own events.csv
/// (multipart form field "file"), then follow the job. Imported aggregates count in queries with include.imports.
/// </summary>
public static class ImportsApi
{
    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapSiteGroup("imports", "Imports");
        imports.MapPost("/", UploadAsync).WithName("ImportData")
            .WithSummary("Imports a Plausible CSV export (.zip or imported_<table>_yyyyMMdd_yyyyMMdd.csv) or an events.csv of ours, sent as the form field \"file\"; 202 with the job.")
            .Accepts<IFormFile>("multipart/form-data")
            .RequireAuthorization(AccessPolicies.SitesManage)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        imports.MapGet("/", ListAsync).WithName("ListImports").WithSummary("The site's import jobs, oldest first.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        imports.MapGet("/{id:long}", GetAsync).WithName("GetImport").WithSummary("One import job: status (running, completed, failed), rows done and skipped, problems.")
            .RequireAuthorization(AccessPolicies.Authenticated);
        imports.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteImport")
            .WithSummary("Forgets an import's aggregates (events already imported stay counted).")
            .RequireAuthorization(AccessPolicies.SitesManage);
        return app;
    }

    private static async Task<Results<Accepted<SiteImportResponse>, ProblemHttpResult>> UploadAsync(
        string domain, HttpRequest http, ISiteDirectory sites, ImportJobs jobs, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return UnknownSite(domain);
        }

        // This endpoint alone takes bodies above the server's general limit.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = ImportLimits.MaxUploadBytes + 64 * 1024;
        }

        if (!http.HasFormContentType)
        {
            return Invalid("Send the file as multipart/form-data in the field \"file\".");
        }

        var form = await http.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Invalid("The form has no non-empty field \"file\".");
        }

        if (file.Length > ImportLimits.MaxUploadBytes)
        {
            return TypedResults.Problem($"An upload is at most {ImportLimits.MaxUploadBytes / (1024 * 1024)} MB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        SiteImport? job;
        try
        {
            job = await jobs.StartAsync(site, Path.GetFileName(file.FileName), bytes);
        }
        catch (ImportValidationException ex)
        {
            return Invalid(ex.Message);
        }

        return job is null
            ? TypedResults.Problem(
                $"The site keeps at most {ISiteImportsGrain.MaxRows} imported aggregate rows and {ISiteImportsGrain.MaxEventIds} imported event ids; delete an import first.",
                statusCode: StatusCodes.Status409Conflict, title: "Imports full")
            : TypedResults.Accepted($"/api/sites/{site.Domain}/imports/{job.Id}", SiteImportResponse.From(job));
    }

    private static async Task<Results<Ok<IReadOnlyList<SiteImportResponse>>, ProblemHttpResult>> ListAsync(
        string domain, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken) =>
        await sites.FindAsync(domain, cancellationToken) is not { } site
            ? UnknownSite(domain)
            : TypedResults.Ok<IReadOnlyList<SiteImportResponse>>(
                [.. (await grains.GetGrain<ISiteImportsGrain>(site.SiteKey).ListAsync()).Select(SiteImportResponse.From)]);

    private static async Task<Results<Ok<SiteImportResponse>, ProblemHttpResult>> GetAsync(
        string domain, long id, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return UnknownSite(domain);
        }

        return (await grains.GetGrain<ISiteImportsGrain>(site.SiteKey).ListAsync()).FirstOrDefault(i => i.Id == id) is { } job
            ? TypedResults.Ok(SiteImportResponse.From(job))
            : UnknownImport(domain, id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string domain, long id, ISiteDirectory sites, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(domain, cancellationToken) is not { } site)
        {
            return UnknownSite(domain);
        }

        return await grains.GetGrain<ISiteImportsGrain>(site.SiteKey).DeleteAsync(id) ? TypedResults.NoContent() : UnknownImport(domain, id);
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid import");

    private static ProblemHttpResult UnknownSite(string domain) =>
        TypedResults.Problem($"No site '{domain}' is registered.", statusCode: StatusCodes.Status404NotFound, title: "Unknown site");

    private static ProblemHttpResult UnknownImport(string domain, long id) =>
        TypedResults.Problem($"Site '{domain}' has no import {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown import");
}
