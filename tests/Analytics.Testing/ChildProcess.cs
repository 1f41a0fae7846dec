using System.Diagnostics;
using System.Globalization;

namespace Analytics.Testing;

/// <summary>
/// A program a test starts (a product process, HAProxy), its stdout and stderr captured line by line. StopAsync is a
/// graceful SIGTERM; KillAsync and DisposeAsync are SIGKILL. <see cref="AnalyticsProcess"/> runs the product's own on it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly Process _process;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has ended; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', Lines());

    /// <summary>A snapshot of the output lines so far, in order.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>Starts <paramref name="file"/> with exactly these arguments and, on top of this process's environment, these variables.</summary>
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

        InlineSocketCompletions.Clear(start.Environment);
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

    /// <summary>Polls GET <paramref name="url"/> until it answers 2xx; a <see cref="ProcessExitedException"/> at once if the process ends first.</summary>
    public async Task WaitHealthyAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new ProcessExitedException($"The {Name} process exited with {_process.ExitCode}:\n{Output}");
            }

            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }, timeout, $"the {Name} process to answer {url}");
    }

    /// <summary>
    /// Waits for the process to end and for its output to be read to the end, and returns its exit code (an
    /// OperationCanceledException after <paramref name="timeout"/>). <see cref="HasExited"/> turns true before the last
    /// lines have been read: asserting on <see cref="Output"/> after it alone missed them now and then.
    /// </summary>
    public async Task<int> ExitedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Graceful stop: SIGTERM, then wait for the process to end (an OperationCanceledException after the timeout, 30 s by default).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>A crash: SIGKILL, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
