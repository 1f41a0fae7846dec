using System.ComponentModel.DataAnnotations;

namespace Analytics.Dashboard.Hosting;

/// <summary>The standalone dashboard process of the cluster profile (section Analytics:Dashboard).</summary>
public sealed class DashboardHostOptions : IValidatableObject
{
    public const string Section = "Analytics:Dashboard";

    /// <summary>Where /api/* and /js/script.js are forwarded: the gateways' load balancer (HAProxy, a Service), absolute http(s).</summary>
    [Required]
    public Uri? GatewayUrl { get; set; }

    /// <summary>The largest request body accepted (and so forwarded); the page only sends small query documents.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>How long a forwarded request may wait for the gateway (no bytes either way) before it fails with 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The API key (plaintext; a secret) this process sends to the gateway on behalf of a logged-in admin. The gateways
    /// know it only as a hash (Analytics:Auth:ApiKeys). Requests that bring their own key or share link keep it.
    /// </summary>
    [Required]
    public string? GatewayApiKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GatewayUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("GatewayUrl must be an absolute http(s) URL.", [nameof(GatewayUrl)]);
        }
    }
}
