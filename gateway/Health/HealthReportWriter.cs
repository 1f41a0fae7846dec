using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Analytics.Gateway.Health;

/// <summary>
/// Writes /health as JSON naming every dependency and its state, so an operator (or a probe log) sees which server is
/// down, not only that something is. Exception text is left out: the description says what failed, never a stack trace.
/// </summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
