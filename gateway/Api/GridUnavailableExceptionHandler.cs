using Analytics.GrainInterfaces.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Analytics.Gateway.Api;

/// <summary>
/// A grain call that fails because the grid or its storage is away (a silo's Cassandra down, no silo reachable, a call
/// timing out) is a 503 problem with Retry-After, whatever endpoint made it, never a 500. The detail is fixed text: the
/// exception's message carries the silo's stack trace and stays in the log.
/// </summary>
public sealed partial class GridUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<GridUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const string StorageTitle = "Storage unavailable";
    public const string GridTitle = "Analytics grid unavailable";
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (OrleansException or TimeoutException))
        {
            return false;
        }

        LogUnavailable(exception, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = exception is StorageUnavailableException ? StorageTitle : GridTitle,
                Detail = "The analytics grid or its storage cannot answer right now; retry later. Accepted events are kept and counted once it is back.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The grid could not answer {Path}; answered 503")]
    private partial void LogUnavailable(Exception error, string path);
}
