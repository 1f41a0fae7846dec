using System.Diagnostics;

namespace Analytics.Cassandra.Tests.Support;

/// <summary>Drives scripts/services.sh for the local Cassandra, for tests that restart the server.</summary>
public static class CassandraService
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string action)
    {
        var root = RepoRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "services.sh"), action, "cassandra"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Analytics.sln above {AppContext.BaseDirectory}.");
    }
}
