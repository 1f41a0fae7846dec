using Analytics.Gateway.Access;
using Analytics.Gateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Analytics.Dashboard.Hosting;

/// <summary>
/// The dashboard as its own process (the cluster profile): the same embedded page at /dashboard, and a reverse proxy
/// (YARP) that forwards the only routes the page and the tracker use, /api/* and /js/script.js, to the gateway, so the
/// page keeps its relative URLs. X-Forwarded-For/-Proto/-Host are appended, so the gateway's trusted-proxy rules decide.
/// Users log in here (the admin from Analytics:Auth:Admin, cookie session); their calls reach the gateway with
/// <see cref="DashboardHostOptions.GatewayApiKey"/>, never with the session cookie.
/// </summary>
public static class DashboardHostExtensions
{
    public const string GatewayCluster = "gateway";

    private const string LiveTag = "live";

    public static WebApplicationBuilder AddAnalyticsDashboardHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardHostOptions>()
            .Bind(builder.Configuration.GetSection(DashboardHostOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(DashboardHostOptions.Section).Get<DashboardHostOptions>() ?? new DashboardHostOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize);

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddAnalyticsAccess();
        // No grains here: only the cookie authenticates; keys and share links are the gateway's to check.
        builder.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = AccessSchemes.Cookie);
        builder.Services.AddOptions<AccessOptions>()
            .Validate(o => o.Admin.IsConfigured, "The dashboard process needs Analytics:Auth:Admin:Password or PasswordHash.");
        builder.Services.AddReverseProxy().AddTransforms(context => context.AddRequestTransform(transform =>
        {
            var request = transform.ProxyRequest;
            // The session cookie stays here; the gateway is told who is asking by the service key.
            request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Cookie);
            if (transform.HttpContext.User.IsCookieSession() && !request.Headers.Contains(Microsoft.Net.Http.Headers.HeaderNames.Authorization) &&
                !request.Headers.Contains(AccessSchemes.ShareHeader))
            {
                var key = transform.HttpContext.RequestServices.GetRequiredService<IOptions<DashboardHostOptions>>().Value.GatewayApiKey;
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }

            return ValueTask.CompletedTask;
        }));
        builder.Services.AddSingleton<IProxyConfigProvider>(sp => new InMemoryConfigProvider(
            Routes(),
            [Cluster(sp.GetRequiredService<IOptions<DashboardHostOptions>>().Value)]));
        return builder;
    }

    public static WebApplication MapAnalyticsDashboardHost(this WebApplication app)
    {
        app.UseNoDotSegments();
        app.UseTrustedForwardedProto(app.Configuration);
        app.UseSecurityHeaders();
        app.UseAnalyticsAccess();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapDashboardPage();
        app.MapReverseProxy();
        return app;
    }

    internal static IReadOnlyList<RouteConfig> Routes()
    {
        // Append (not Set): a hop in front of this one (an ingress) keeps its entry; the gateway trusts what it trusts.
        IReadOnlyList<IReadOnlyDictionary<string, string>> transforms = [new Dictionary<string, string> { ["X-Forwarded"] = "Append" }];
        return
        [
            new RouteConfig { RouteId = "api", ClusterId = GatewayCluster, Match = new RouteMatch { Path = "/api/{**rest}" }, Transforms = transforms },
            new RouteConfig { RouteId = "tracker", ClusterId = GatewayCluster, Match = new RouteMatch { Path = "/js/{file}" }, Transforms = transforms },
        ];
    }

    internal static ClusterConfig Cluster(DashboardHostOptions options) => new()
    {
        ClusterId = GatewayCluster,
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["gateway"] = new() { Address = options.GatewayUrl?.ToString() ?? throw new OptionsValidationException(DashboardHostOptions.Section, typeof(DashboardHostOptions), ["GatewayUrl is required."]) },
        },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = options.GatewayTimeout },
    };
}
