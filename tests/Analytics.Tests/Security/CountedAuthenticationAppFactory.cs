using System.Security.Claims;
using Analytics.Tests.Functional;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Tests.Security;

/// <summary>The embedded host counting every authentication it performs (<see cref="Authentications"/>).</summary>
public sealed class CountedAuthenticationAppFactory : EmbeddedAppFactory
{
    private int _authentications;

    public int Authentications => Volatile.Read(ref _authentications);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<AuthenticationService>();
            services.Replace(ServiceDescriptor.Scoped<IAuthenticationService>(sp => new Counted(sp.GetRequiredService<AuthenticationService>(), this)));
        });
    }

    private sealed class Counted(AuthenticationService inner, CountedAuthenticationAppFactory owner) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            Interlocked.Increment(ref owner._authentications);
            return inner.AuthenticateAsync(context, scheme);
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            inner.SignInAsync(context, scheme, principal, properties);

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
    }
}
