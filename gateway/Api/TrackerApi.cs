using Analytics.Gateway.Tracker;

namespace Analytics.Gateway.Api;

public static class TrackerApi
{
    public static IEndpointRouteBuilder MapTrackerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/js/{file}", Serve)
            .WithTags("Tracker")
            .WithName("TrackerScript")
            .Produces<string>(StatusCodes.Status200OK, "text/javascript")
            .WithSummary("The tracker script: <script defer data-domain=\"example.com\" src=\"https://this-host/js/script.js\"></script>.")
            .WithDescription("Plausible's variant names work too (script.hash.js, script.manual.js, script.tagged-events.js, script.form-submissions.js, "
                + "combined as script.tagged-events.outbound-links.js …); any other file is 404.");
        return app;
    }

    private static IResult Serve(string file, HttpContext http)
    {
        if (TrackerScript.ForFile(file) is not { } script)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ETag = script.ETag;
        headers.CacheControl = "public, max-age=3600";
        headers.Vary = "Accept-Encoding";
        headers.AccessControlAllowOrigin = "*";
        if (http.Request.Headers.IfNoneMatch == script.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(script.Gzipped, "application/javascript; charset=utf-8");
        }

        return TypedResults.Bytes(script.Bytes, "application/javascript; charset=utf-8");
    }
}
