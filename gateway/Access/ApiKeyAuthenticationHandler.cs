using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> (Plausible's way) or a share link's slug in <see cref="AccessSchemes.ShareHeader"/>.
/// No header: no result, so other schemes or anonymous endpoints decide. Challenges and forbids are problem+json.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Longer values are not keys (a key is 46 characters, a slug 22); refused before hashing or a grain call.</summary>
    private const int MaxTokenLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization is [{ } authorization])
        {
            if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("Only Bearer API keys are accepted.");
            }

            return await SucceedAsync(authorization[BearerPrefix.Length..].Trim(), validator.ValidateKeyAsync, AccessSchemes.ApiKey, "The API key is unknown or revoked.");
        }

        if (Request.Headers[AccessSchemes.ShareHeader] is [{ } slug])
        {
            return await SucceedAsync(slug.Trim(), validator.ValidateShareAsync, AccessSchemes.ShareLink, "The share link is unknown or revoked.");
        }

        return Request.Headers.Authorization.Count + Request.Headers[AccessSchemes.ShareHeader].Count > 0
            ? AuthenticateResult.Fail("Send one credential header.")
            : AuthenticateResult.NoResult();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, AccessProblems.UnauthorizedDetail);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "The credential lacks the permission this endpoint needs.");

    private async Task<AuthenticateResult> SucceedAsync(string token, Func<string, ValueTask<AccessGrant?>> validate, string type, string failure)
    {
        if (token.Length is 0 or > MaxTokenLength || await validate(token) is not { } grant)
        {
            return AuthenticateResult.Fail(failure);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(grant.ToPrincipal(type), Scheme.Name));
    }
}
