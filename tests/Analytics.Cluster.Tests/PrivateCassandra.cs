using System.Diagnostics;
using System.Globalization;

namespace Analytics.Cluster.Tests;

/// <summary>
/// A Cassandra node of one test's own, started by scripts/services/cassandra.sh with its own state folder and ports (the jars
/// are shared with the install of scripts/services.sh), so killing it touches no other test's server. Restarts reuse the data.
/// </summary>
public sealed class PrivateCassandra : IAsyncDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("analytics-private-cassandra-").FullName;
    private readonly int _storagePort = FreePort.Next();

    public int Port { get; } = FreePort.Next();

    public string ContactPoint => $"127.0.0.1:{Port}";

    private string PidFile => Path.Combine(_state, "cassandra", "cassandra.pid");

    public async Task StartAsync()
    {
        var pkg = Path.Combine(_state, "cassandra", "pkg");
        if (!Directory.Exists(pkg))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(pkg)!);
            Directory.CreateSymbolicLink(pkg, Path.Combine(ServiceEndpoints.ServicesDirectory, "cassandra", "pkg"));
        }
        var (exit, output) = await RunScriptAsync("up");
        if (exit != 0)
        {
            throw new InvalidOperationException($"The private Cassandra on {ContactPoint} did not start ({exit}):\n{output}");
        }
    }

    /// <summary>SIGKILL, as in a crash: what Cassandra acknowledged is in its commit log, the rest was never acknowledged.</summary>
    public async Task KillAsync()
    {
        if (!File.Exists(PidFile))
        {
            return;
        }
        var pid = int.Parse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture);
        File.Delete(PidFile);
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(int Exit, string Output)> RunScriptAsync(string action)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "services", "cassandra.sh"));
        start.ArgumentList.Add(action);
        start.Environment["ANALYTICS_SERVICES_DIR"] = _state;
        start.Environment["CASSANDRA_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["CASSANDRA_STORAGE_PORT"] = _storagePort.ToString(CultureInfo.InvariantCulture);
        // A crash must not lose what Cassandra acknowledged: a single node gets that only from a synced commit log
        // (periodic sync, the script's default, may lose the last 10 s on SIGKILL; a real cluster has replicas instead).
        start.Environment["CASSANDRA_COMMITLOG_SYNC"] = "batch";
        // C1 only: starts in about half the time, and these tests write little.
        start.Environment["CASSANDRA_JVM_OPTS"] = "-XX:TieredStopAtLevel=1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
