using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Abuse;

public static class Problems
{
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter, string detail)
    {
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
