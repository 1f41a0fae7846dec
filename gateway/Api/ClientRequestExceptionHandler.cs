using Microsoft.AspNetCore.Diagnostics;

namespace Analytics.Gateway.Api;

/// <summary>
/// A request the server gave up reading because of the client (a body cut short when a browser cancelled a fetch or
/// went away, a body over the server's limit) gets its 4xx problem and a debug line, not an error with a stack trace:
/// nothing is wrong with the server.
/// </summary>
public sealed partial class ClientRequestExceptionHandler(IProblemDetailsService problems, ILogger<ClientRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        LogClientError(httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        // The client may be gone already: then there is no one to write to, and that is fine.
        return httpContext.RequestAborted.IsCancellationRequested || await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode, Detail = bad.Message },
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The client's request to {Path} could not be read ({Status}): {Reason}")]
    private partial void LogClientError(string path, int status, string reason);
}
