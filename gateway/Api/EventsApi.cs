using System.Buffers;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

public static class EventsApi
{
    public const string CorsPolicy = "ingestion";
    public const string DropReasonHeader = "X-Drop-Reason";
    public const string VisitorCookieHeader = "X-Visitor-Cookie";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api")
            .WithTags("Ingestion")
            .MapPost("/event", IngestAsync)
            .RequireCors(CorsPolicy)
            .IgnoreSession()
            .WithMetadata(ValidatesOwnJson.Instance)
            .RequireClientIpRateLimit()
            .WithName("IngestEvent")
            .WithSummary("Records one event (Plausible Events API body, or the compact text/plain body of a tracker script).")
            .WithDescription("Body: JSON, sent with any content type (trackers use text/plain to avoid a CORS preflight). "
                + "202 once the event is durable. Dropped events (bot, unknown site, ...) also get 202, with the reason in the X-Drop-Reason header.")
            .Produces<string>(StatusCodes.Status202Accepted, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<BeaconAccepted, ProblemHttpResult>> IngestAsync(
        HttpContext http, EventIngestionServices services, CancellationToken cancellationToken)
    {
        var limit = services.Options.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var body = await ReadBodyAsync(http.Request, limit, cancellationToken);
        if (body is null)
        {
            return TooLarge(limit);
        }

        // Checked here on the body already read, not by JsonUnicodeCheck, which would buffer and copy every beacon.
        if (JsonUnicodeCheck.HasInvalidString(body))
        {
            return TypedResults.Problem(JsonUnicodeCheck.InvalidStringDetail, statusCode: StatusCodes.Status400BadRequest, title: "Malformed event");
        }

        Beacon beacon;
        try
        {
            beacon = BeaconReader.Read(body);
        }
        catch (BeaconFormatException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Malformed event");
        }

        var now = services.Time.GetUtcNow().UtcDateTime;
        DropReason? firstDrop = null;
        var accepted = 0;
        var keepsCookie = false;
        // The request's facts are read once; a beacon naming several sites counts once for each registered one, as in Plausible.
        var userAgent = http.Request.Headers.UserAgent.ToString();
        var clientIp = services.ClientIps.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"]);
        var doNotTrack = Asks(http.Request.Headers["DNT"]) || Asks(http.Request.Headers["Sec-GPC"]);
        // Indexed: the list's enumerator through the interface is boxed, one allocation per beacon.
        var domains = beacon.Domains;
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            var context = new IngestionContext
            {
                Beacon = domain == beacon.Domain ? beacon : beacon with { Domain = domain },
                UserAgent = userAgent,
                ClientIp = clientIp,
                ReceivedAt = now,
                DoNotTrack = doNotTrack,
            };

            DropReason? reason;
            try
            {
                reason = await services.Pipeline.RunAsync(context, cancellationToken);
            }
            catch (EventSinkUnavailableException ex)
            {
                http.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Event store unavailable");
            }

            if (reason is DropReason.SiteRateLimited)
            {
                return Problems.TooManyRequests(http.Response, context.RetryAfter!.Value, $"Too many events for site '{context.Site!.Domain}'; retry later.");
            }

            if (reason is not null)
            {
                services.Drops.Record(context, reason.Value);
                firstDrop ??= reason;
                continue;
            }

            accepted++;
            keepsCookie |= context.VisitorId!.StartsWith(PutVisitorIdStep.CookiePrefix, StringComparison.Ordinal);
        }

        if (accepted == 0 && firstDrop is { } drop)
        {
            http.Response.Headers[DropReasonHeader] = drop.ToWireName();
        }

        if (keepsCookie)
        {
            // Our tracker stores its id in a cookie only once a site that uses cookies counted it under that id.
            http.Response.Headers[VisitorCookieHeader] = "1";
        }

        return BeaconAccepted.Instance;
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem($"An event body may be at most {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Event too large");

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    internal static async ValueTask<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(total, limit + 1 - total), cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A privacy header set to 1, however a proxy folded it: "1", "1, 1" (a repeated header joined) or two header lines.
    /// </summary>
    private static bool Asks(Microsoft.Extensions.Primitives.StringValues header)
    {
        // A loop, not LINQ: most beacons carry neither header, and Any boxed the empty value twice per beacon.
        foreach (var value in header)
        {
            if (value is not null && value.Split(',', StringSplitOptions.TrimEntries).Contains("1"))
            {
                return true;
            }
        }

        return false;
    }
}
