using System.Net;
using System.Net.Sockets;
using System.Text;
using Analytics.Testing;
using Analytics.Tests.Abuse;

namespace Analytics.Tests.Security;

/// <summary>
/// On a real Kestrel socket, where the server resolves "." and ".." before routing: a request whose target has such a
/// segment is refused, so DELETE …/shared-links/.. can never turn into DELETE /api/sites/{domain}.
/// </summary>
public sealed class DotSegmentTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    [Theory]
    [InlineData("/api/sites/dots.test/shared-links/..")]
    [InlineData("/api/sites/dots.test/shared-links/%2e%2e")]
    [InlineData("/api/sites/dots.test/shared-links/%2E%2e/")]
    [InlineData("/api/sites/dots.test/export/../../dots.test")]
    [InlineData("/api/sites/dots.test/./")]
    public async Task A_dot_segment_is_a_400_and_erases_nothing(string target)
    {
        await app.RegisterAsync("dots.test");
        var answer = await RawAsync($"DELETE {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {TestCredentials.ApiKey}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        using var site = await app.CreateClient().GetAsync("/api/sites/dots.test");
        Assert.Equal(HttpStatusCode.OK, site.StatusCode);
    }

    private async Task<string> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
