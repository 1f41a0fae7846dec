namespace Analytics.Gateway.Abuse;

public static class ClientIpRateLimitEndpointExtensions
{
    /// <summary>Puts the endpoint under the <see cref="ClientIpRateLimiter"/> (429 when one address sends too much).</summary>
    public static TBuilder RequireClientIpRateLimit<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilterFactory((factory, next) =>
        {
            // Resolved once per endpoint, not per request.
            var limiter = factory.ApplicationServices.GetRequiredService<ClientIpRateLimiter>();
            return context => limiter.InvokeAsync(context, next);
        });
}
