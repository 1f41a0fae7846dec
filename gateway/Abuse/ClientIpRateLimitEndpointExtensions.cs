namespace Analytics.Gateway.Abuse;

public static class ClientIpRateLimitEndpointExtensions
{
    /// <summary>Puts the endpoint under the <see cref="ClientIpRateLimiter"/> (429 when one address sends too much).</summary>
    public static TBuilder RequireClientIpRateLimit<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<ClientIpRateLimiter>().InvokeAsync(context, next));
}
