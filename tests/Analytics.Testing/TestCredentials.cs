using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Testing;

/// <summary>
/// The credentials every test host and process is started with: an API key given to the product only as its SHA-256
/// (every site, every permission) and the dashboard's admin account. Tests call the stats and site APIs with a client
/// that carries the key (<see cref="Authorize"/>, <see cref="AnalyticsProcess.CreateClient"/>, the factories'
/// CreateClient) and log in to the dashboard with the admin account.
/// </summary>
public static class TestCredentials
{
    /// <summary>A fixed key (only tests know it), shaped like the product's keys: "ag_" + 43 base64url characters.</summary>
    public const string ApiKey = "ag_TestSuiteKey0000000000000000000000000000000";

    public const string AdminEmail = "admin@tests.local";

    public const string AdminPassword = "test-admin-password";

    /// <summary>The server key share slugs are derived with (32 bytes, base64).</summary>
    public const string ShareLinkKey = "VGVzdFN1aXRlU2hhcmVMaW5rS2V5MDAwMDAwMDAwMDA=";

    public static string ApiKeyHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));

    /// <summary>As configuration keys (Analytics:Auth:...), for WebApplicationFactory's UseSetting.</summary>
    public static IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Analytics:Auth:ApiKeys:0:Name"] = "tests",
        ["Analytics:Auth:ApiKeys:0:Hash"] = ApiKeyHash,
        ["Analytics:Auth:ApiKeys:0:Sites:0"] = "*",
        ["Analytics:Auth:ApiKeys:0:Permissions:0"] = "stats:read",
        ["Analytics:Auth:ApiKeys:0:Permissions:1"] = "sites:manage",
        ["Analytics:Auth:ApiKeys:0:Permissions:2"] = "keys:manage",
        ["Analytics:Auth:Admin:Email"] = AdminEmail,
        ["Analytics:Auth:Admin:Password"] = AdminPassword,
        // Share slugs are derived under this key; given here so no test host writes a key file beside its binaries.
        ["Analytics:Auth:ShareLinkKey"] = ShareLinkKey,
    };

    /// <summary>As environment variables (Analytics__Auth__...), for real processes.</summary>
    public static Dictionary<string, string> Environment() =>
        Configuration.ToDictionary(e => e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value, StringComparer.Ordinal);

    /// <summary>Sends the test key with every request of <paramref name="http"/>.</summary>
    public static HttpClient Authorize(this HttpClient http)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }
}
