using Microsoft.AspNetCore.Mvc;

namespace Analytics.Gateway.Abuse;

public static class QueryLimiterEndpointExtensions
{
    /// <summary>Puts the endpoint under the <see cref="QueryLimiter"/>: per-credential rate and concurrent queries (429 when over).</summary>
    public static TBuilder RequireQueryLimits<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<QueryLimiter>().InvokeAsync(context, next))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));
}
