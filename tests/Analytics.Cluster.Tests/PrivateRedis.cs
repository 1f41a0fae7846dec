using System.Diagnostics;
using System.Globalization;

namespace Analytics.Cluster.Tests;

/// <summary>
/// A redis-server of one test's own (Debian's, as scripts/services/redis.sh runs it): its own port and data folder, append-only
/// file on, so a restart on the same port finds the membership table again. Stopped by the pid we started, never by name.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("analytics-private-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string Endpoint => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _state,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var process = _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Poll.UntilAsync(() =>
        {
            if (process.HasExited)
            {
                throw new ProcessExitedException($"The private Redis exited with {process.ExitCode}.");
            }
            return Task.FromResult(ServiceEndpoints.CanConnect(Endpoint));
        }, TimeSpan.FromSeconds(30), $"the private Redis on {Endpoint}");
    }

    /// <summary>SIGTERM: Redis writes its append-only file and exits, as in a planned restart.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
