using System.Text;
using System.Text.Unicode;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>
/// GA4's doors: the Measurement Protocol (/mp/collect, and its validation server /debug/mp/collect) and the web tag
/// protocol gtag.js speaks to a server container (/g/collect). As Google's endpoints do, they answer 2xx whatever the
/// payload; what was not counted says why in X-Drop-Reason. Only a full event store (503) or a site over its rate limit
/// (429) is an error, since both mean "send again later".
/// </summary>
public static class Ga4Api
{
    public const string TagCorsPolicy = "ga4-tag";
    public const string InvalidSecretReason = "invalid_api_secret";
    public const string InvalidPayloadReason = "invalid_payload";

    public static IEndpointRouteBuilder MapGa4Api(this IEndpointRouteBuilder app)
    {
        // Ingestion: a logged-in owner's own hits count too, with no CSRF check (see SessionIgnored). Google answers any
        // body (204, or validation messages), never a 400: these read their JSON themselves.
        var ga4 = app.MapGroup("").WithTags("GA4").IgnoreSession().WithMetadata(ValidatesOwnJson.Instance);
        ga4.MapPost("/mp/collect", CollectAsync)
            .WithName("Ga4MeasurementProtocolCollect")
            .WithSummary("Records GA4 Measurement Protocol events (query: measurement_id, api_secret; body: client_id, events[{name, params}], …).")
            .WithDescription("204 as Google answers, for invalid payloads, unknown measurement ids and wrong or revoked secrets too (then nothing is counted and X-Drop-Reason says why).")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        ga4.MapPost("/debug/mp/collect", ValidateAsync)
            .WithName("Ga4MeasurementProtocolValidate")
            .WithSummary("Validates a Measurement Protocol body as Google's validation server does; counts nothing.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        ga4.MapMethods("/g/collect", [HttpMethods.Get, HttpMethods.Post], TagCollectAsync)
            .RequireCors(TagCorsPolicy)
            .RequireClientIpRateLimit()
            .WithName("Ga4TagCollect")
            .WithSummary("Records the hits gtag.js sends when its transport_url points here (v=2, tid, cid, en, ep.*/epn.*; one event per body line).")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CollectAsync(
        HttpContext http, [AsParameters] MpCollectQuery query, Ga4Streams streams, Ga4Ingestion ingestion, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await EventsApi.ReadBodyAsync(http.Request, Ga4Limits.MaxBodyBytes, cancellationToken);
        if (query.MeasurementId is not { Length: > 0 } measurementId || await streams.FindSiteAsync(measurementId, cancellationToken) is not { } site)
        {
            return Dropped(http, DropReason.UnknownSite.ToWireName());
        }

        if (!await streams.IsValidSecretAsync(site, query.ApiSecret, cancellationToken))
        {
            return Dropped(http, InvalidSecretReason);
        }

        var payload = MpPayloadReader.Read(body, time.GetUtcNow().UtcDateTime);
        if (payload.Hits.Count == 0)
        {
            return Dropped(http, InvalidPayloadReason);
        }

        // The sender is a server: its User-Agent and address are not the visitor's (device, user_location, ip_override are).
        var result = await IngestAsync(http, ingestion, site, payload.Hits, new Ga4Sender("", payload.IpOverride, DoNotTrack: false), cancellationToken);
        if (result.Result is NoContent && payload.Messages.Count > 0)
        {
            http.Response.Headers[EventsApi.DropReasonHeader] = InvalidPayloadReason;
        }

        return result;
    }

    private static async Task<Ok<MpValidationResponse>> ValidateAsync(HttpRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        // Like Google's validation server, this checks the body only (not measurement_id or api_secret).
        var body = await EventsApi.ReadBodyAsync(request, Ga4Limits.MaxBodyBytes, cancellationToken);
        return TypedResults.Ok(new MpValidationResponse(MpPayloadReader.Read(body, time.GetUtcNow().UtcDateTime).Messages));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> TagCollectAsync(
        HttpContext http, Ga4Streams streams, Ga4Ingestion ingestion, ClientIpResolver clientIps, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var body = HttpMethods.IsPost(request.Method) ? await EventsApi.ReadBodyAsync(request, Ga4Limits.MaxBodyBytes, cancellationToken) : [];
        if (body is null || !Utf8.IsValid(body))
        {
            return Dropped(http, InvalidPayloadReason);
        }

        var hits = GtagHitReader.Read(request.Query, Encoding.UTF8.GetString(body));
        if (hits.MeasurementId is not { Length: > 0 } measurementId || await streams.FindSiteAsync(measurementId, cancellationToken) is not { } site)
        {
            return Dropped(http, DropReason.UnknownSite.ToWireName());
        }

        var sender = new Ga4Sender(
            request.Headers.UserAgent.ToString(),
            clientIps.Resolve(http.Connection.RemoteIpAddress, request.Headers["X-Forwarded-For"]),
            request.Headers["DNT"] == "1" || request.Headers["Sec-GPC"] == "1");
        var result = await IngestAsync(http, ingestion, site, hits.Hits, sender, cancellationToken);
        if (result.Result is NoContent && hits.Invalid > 0 && !http.Response.Headers.ContainsKey(EventsApi.DropReasonHeader))
        {
            http.Response.Headers[EventsApi.DropReasonHeader] = InvalidPayloadReason;
        }

        return result;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> IngestAsync(
        HttpContext http, Ga4Ingestion ingestion, string site, IReadOnlyList<Ga4Hit> hits, Ga4Sender sender, CancellationToken cancellationToken)
    {
        Ga4IngestResult result;
        try
        {
            result = await ingestion.IngestAsync(site, hits, sender, cancellationToken);
        }
        catch (EventSinkUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Event store unavailable");
        }

        if (result.RetryAfter is { } retryAfter)
        {
            return Problems.TooManyRequests(http.Response, retryAfter, $"Too many events for site '{site}'; retry later.");
        }

        if (result.FirstDrop is { } reason)
        {
            http.Response.Headers[EventsApi.DropReasonHeader] = reason.ToWireName();
        }

        return TypedResults.NoContent();
    }

    private static NoContent Dropped(HttpContext http, string reason)
    {
        http.Response.Headers[EventsApi.DropReasonHeader] = reason;
        return TypedResults.NoContent();
    }
}
