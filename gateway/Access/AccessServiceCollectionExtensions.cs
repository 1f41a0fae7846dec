using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

public static class AccessServiceCollectionExtensions
{
    private const string AuthenticationAddedKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// API keys and share links (Bearer / <see cref="AccessSchemes.ShareHeader"/>), the dashboard's cookie login with
    /// antiforgery, and one authorization policy per permission. Hosts call <see cref="UseAnalyticsAccess"/>.
    /// </summary>
    public static IServiceCollection AddAnalyticsAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AdminAccounts>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<AdminSessions>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<ShareLinkSlugs>();
        services.AddProblemDetails();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AccessSchemes.CsrfHeader;
            o.Cookie.Name = ".AnalyticsGrid.Antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddAuthentication(AccessSchemes.Default)
            .AddPolicyScheme(AccessSchemes.Default, AccessSchemes.Default, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization) || http.Request.Headers.ContainsKey(AccessSchemes.ShareHeader)
                    ? AccessSchemes.ApiKey
                    : AccessSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AccessSchemes.ApiKey, null)
            .AddCookie(AccessSchemes.Cookie, o =>
            {
                o.Cookie.Name = AccessSchemes.SessionCookie;
                o.Cookie.HttpOnly = true;
                // Lax keeps a link to the dashboard from another site working; state changes need the CSRF token anyway.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/login";
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<AdminSessions>().ValidateAsync(ctx);
                o.Events.OnRedirectToLogin = ctx => Answer(ctx, StatusCodes.Status401Unauthorized, AccessProblems.UnauthorizedDetail);
                o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx, StatusCodes.Status403Forbidden, "The session lacks the permission this endpoint needs.");
            });
        services.AddOptions<CookieAuthenticationOptions>(AccessSchemes.Cookie)
            .Configure<IOptions<AccessOptions>>((cookie, access) => cookie.ExpireTimeSpan = access.Value.SessionLifetime);

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.StatsRead, p => p.RequireClaim(AccessGrant.PermissionClaim, AccessPermissions.StatsRead))
            .AddPolicy(AccessPolicies.SitesManage, p => p.RequireClaim(AccessGrant.PermissionClaim, AccessPermissions.SitesManage))
            .AddPolicy(AccessPolicies.KeysManage, p => p.RequireClaim(AccessGrant.PermissionClaim, AccessPermissions.KeysManage))
            .AddPolicy(AccessPolicies.Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(AccessPolicies.Dashboard, p => p.AddAuthenticationSchemes(AccessSchemes.Cookie).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// Authentication and the CSRF check for cookie sessions, then authorization; before the endpoints. Ingestion endpoints
    /// (<see cref="SessionIgnored"/>) skip the first two: they read no credential, and authenticating every beacon was a
    /// tenth of what the silo allocates under load.
    /// </summary>
    public static IApplicationBuilder UseAnalyticsAccess(this IApplicationBuilder app)
    {
        // WebApplication puts authentication in front of the whole pipeline unless its own builder added it, and a UseWhen
        // branch's does not count (dotnet/aspnetcore#48098): the mark UseAuthentication leaves is set here.
        app.Properties[AuthenticationAddedKey] = true;
        return app.UseWhen(http => !SessionIgnored.Applies(http), branch => branch.UseAuthentication().UseCsrfProtection()).UseAuthorization();
    }

    /// <summary>API calls get problem+json; pages are sent to the login page.</summary>
    private static Task Answer(RedirectContext<CookieAuthenticationOptions> ctx, int status, string detail)
    {
        if (AccessProblems.IsApi(ctx.Request))
        {
            return AccessProblems.WriteAsync(ctx.HttpContext, status, detail);
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
