using System.Diagnostics;
using System.Globalization;
using System.Text;
using Analytics.Testing;

namespace Analytics.Deploy.Tests.Support;

/// <summary>
/// A minimal runner for the cluster's processes (silo, gateway, haproxy) with captured output. Private to this project
/// on purpose: Analytics.Testing's EmbeddedProcess is being generalised elsewhere and this should fold into it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Dll(string project, string assembly) =>
        Path.Combine(RepoPaths.Root, project, "bin", RepoPaths.Configuration, "net10.0", assembly + ".dll");

    /// <summary>A built .NET app (`dotnet app.dll --urls url`) with <see cref="TestCredentials"/> and the settings as environment variables.</summary>
    public static ChildProcess StartDotnet(string name, string dll, string url, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the solution first.", dll);
        }

        var settings = TestCredentials.Environment();
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        return Start(name, "dotnet", [dll, "--urls", url], Path.GetDirectoryName(dll)!, settings);
    }

    public static ChildProcess Start(string name, string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var child = new ChildProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start."));
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls GET url until it answers 2xx; fails at once if the process dies.</summary>
    public async Task WaitHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }, timeout, $"{Name} to answer {url}");
    }

    /// <summary>Graceful stop: SIGTERM, then wait (at most 30 s) for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
