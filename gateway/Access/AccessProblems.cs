using Microsoft.AspNetCore.Mvc;

namespace Analytics.Gateway.Access;

/// <summary>401 and 403 answers as problem+json, the same shape as every other error of the API.</summary>
public static class AccessProblems
{
    public const string UnauthorizedDetail =
        "Send an API key as 'Authorization: Bearer <key>' (create one with POST /api/keys) or log in at /login.";

    public static async Task WriteAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
                Detail = detail,
            },
        });
    }

    /// <summary>For endpoints: the credential is valid but does not cover this site.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult SiteForbidden(string site) =>
        TypedResults.Problem($"The credential does not cover site '{site}'.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
