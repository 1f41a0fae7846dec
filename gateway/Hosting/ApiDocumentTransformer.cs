using System.Text.Json.Nodes;
using Analytics.Gateway.Access;
using Analytics.Gateway.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Analytics.Gateway.Hosting;

/// <summary>
/// What the generated OpenAPI document cannot know from the endpoints: how to authenticate (an API key as a bearer
/// token, or a share link's slug), so the API reference has somewhere to paste a key; and examples of the bodies a
/// newcomer writes first and of the answers they get back.
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "ApiKey";
    public const string ShareScheme = "ShareLink";

    private static readonly Dictionary<string, string> RequestExamples = new(StringComparer.Ordinal)
    {
        ["Query"] = """
            {"site_id": "example.com", "metrics": ["visitors", "pageviews", "bounce_rate"], "date_range": "7d",
             "dimensions": ["visit:source"],
             "filters": [["is", "visit:country", ["DE", "FR"]], ["or", [["contains", "event:page", ["/blog"], {"case_sensitive": false}], ["matches", "event:page", ["^/docs/"]]]],
                         ["has_done", ["is", "event:goal", ["Signup"]]]],
             "include": {"comparisons": {"mode": "previous_period"}}, "pagination": {"limit": 10}}
            """,
        ["RegisterSite"] = """{"domain": "example.com", "timezone": "Europe/Berlin", "cookieless": false, "respect_dnt": true, "allowed_hostnames": ["example.com", "*.example.com"], "locale": "de-DE"}""",
        ["PatchSiteSettings"] = """{"timezone": "America/New_York"}""",
        ["ReplaceSiteSettings"] = """{"timezone": "Europe/Berlin", "cookieless": true, "respect_dnt": true, "allowed_hostnames": ["example.com"]}""",
        ["CreateApiKey"] = """{"name": "reporting script", "sites": ["example.com"], "permissions": ["stats:read"]}""",
        ["CreateShareLink"] = """{"name": "public stats"}""",
        ["IngestEvent"] = """{"name": "pageview", "url": "https://example.com/pricing?utm_source=newsletter", "domain": "example.com", "referrer": "https://www.google.com/"}""",
    };

    private const string SiteAnswer = """
        {"domain": "example.com", "timezone": "Europe/Berlin", "cookieless": false, "allowed_hostnames": ["example.com", "*.example.com"],
         "created_at": "2026-01-15T09:30:00Z", "respect_dnt": true, "ga4_measurement_id": null, "locale": "de-DE"}
        """;

    private static readonly Dictionary<string, string> ResponseExamples = new(StringComparer.Ordinal)
    {
        ["Query"] = """
            {"results": [{"metrics": [412, 1530, 48], "dimensions": ["Google"],
                          "comparison": {"dimensions": ["Google"], "metrics": [380, 1400, 51], "change": [8, 9, -3]}},
                         {"metrics": [97, 260, 62], "dimensions": ["Direct / None"],
                          "comparison": {"dimensions": ["Direct / None"], "metrics": [0, 0, 0], "change": [100, 100, 62]}}],
             "meta": {"total_rows": 2},
             "query": {"site_id": "example.com", "metrics": ["visitors", "pageviews", "bounce_rate"], "date_range": ["2026-01-08", "2026-01-14"],
                       "dimensions": ["visit:source"], "timezone": "Europe/Berlin", "comparison_date_range": ["2026-01-01", "2026-01-07"]}}
            """,
        ["RegisterSite"] = SiteAnswer,
        ["GetSite"] = SiteAnswer,
        ["CreateApiKey"] = """
            {"key": "ag_3q2-7wVx0pZkq8mJtY5nA1bC4dE6fG9hK2lM5nP8rS1", "api_key": {"id": "9f2c4e1a07b3d58e", "name": "reporting script", "owner": "owner@example.com",
             "prefix": "ag_3q2-7w", "sites": ["example.com"], "permissions": ["stats:read"], "created_at": "2026-01-15T09:30:00Z",
             "last_used_at": null, "revoked": false}}
            """,
        ["CreateShareLink"] = """
            {"id": "5b7d0c3e91a4f206", "slug": "Xk3vP9qLm2TnR8wZ4yB6cD", "site": "example.com", "name": "public stats",
             "path": "/share/Xk3vP9qLm2TnR8wZ4yB6cD", "created_at": "2026-01-15T09:30:00Z"}
            """,
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Analytics Grid API";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (ag_…), created in the dashboard under Sites & keys or with POST /api/keys.",
        };
        document.Components.SecuritySchemes[ShareScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AccessSchemes.ShareHeader,
            Description = "A share link's slug: read-only access to its one site.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ShareScheme, document)] = [] });

        foreach (var operation in document.Paths?.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []) ?? [])
        {
            // Described here, not with Accepts(): that metadata would make routing refuse other content types, and
            // trackers send their JSON as text/plain (or anything else).
            if (operation.OperationId == "IngestEvent")
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(EventRequest), cancellationToken: cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = schema },
                        ["text/plain"] = new() { Schema = schema },
                    },
                };
            }

            if (operation.OperationId is { } id && RequestExamples.TryGetValue(id, out var example) &&
                operation.RequestBody?.Content?.FirstOrDefault().Value is OpenApiMediaType media)
            {
                media.Example = JsonNode.Parse(example);
            }

            if (operation.OperationId is { } answered && ResponseExamples.TryGetValue(answered, out var answer) &&
                operation.Responses?.FirstOrDefault(r => r.Key.StartsWith('2')).Value?.Content?.FirstOrDefault().Value is OpenApiMediaType success)
            {
                success.Example = JsonNode.Parse(answer);
            }
        }
    }
}
