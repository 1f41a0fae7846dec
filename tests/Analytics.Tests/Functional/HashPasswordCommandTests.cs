using System.Diagnostics;
using Analytics.Gateway.Access;
using Analytics.Testing;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Functional;

/// <summary>
/// <c>dotnet Analytics.Silo.dll hash-password</c> as an operator runs it (a real process, the password on stdin): the
/// printed hash is one the admin login accepts for that password as Analytics:Auth:Admin:PasswordHash, and only for it.
/// </summary>
public sealed class HashPasswordCommandTests
{
    [Fact]
    public async Task The_printed_hash_admits_that_password_and_no_other()
    {
        var (exit, output, _) = await RunAsync("correct horse battery staple");

        Assert.Equal(0, exit);
        var hash = output.Trim();
        Assert.DoesNotContain("correct horse", hash, StringComparison.Ordinal);
        var admins = new AdminAccounts(Options.Create(new AccessOptions { Admin = new AdminAccountOptions { PasswordHash = hash } }));
        Assert.True(admins.Verify("admin@localhost", "correct horse battery staple"));
        Assert.False(admins.Verify("admin@localhost", "correct horse battery stapler"));
    }

    [Fact]
    public async Task Without_a_password_on_stdin_it_says_how_and_fails()
    {
        var (exit, output, error) = await RunAsync("");

        Assert.Equal(2, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("hash-password", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string stdin)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(AnalyticsProcess.SiloDll)!,
        };
        start.ArgumentList.Add(AnalyticsProcess.SiloDll);
        start.ArgumentList.Add("hash-password");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
