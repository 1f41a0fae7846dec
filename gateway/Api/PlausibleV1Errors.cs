using Microsoft.AspNetCore.Http.HttpResults;

namespace Analytics.Gateway.Api;

/// <summary>Plausible's v1 APIs answer errors as {"error": "…"}; ours are problem+json that also carry that member.</summary>
public static class PlausibleV1Errors
{
    public static ProblemHttpResult WithError(this ProblemHttpResult problem)
    {
        problem.ProblemDetails.Extensions["error"] = problem.ProblemDetails.Detail;
        return problem;
    }
}
