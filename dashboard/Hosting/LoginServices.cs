using Analytics.Gateway.Access;
using Microsoft.AspNetCore.Antiforgery;

namespace Analytics.Dashboard.Hosting;

/// <summary>What POST /login needs besides the request, bound with [AsParameters].</summary>
public readonly record struct LoginServices(IAntiforgery Antiforgery, AdminAccounts Admins, AdminSessions Sessions, LoginThrottle Throttle);
