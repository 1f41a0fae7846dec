using System.Diagnostics;
using System.Text;

namespace Analytics.Testing;

/// <summary>
/// The real embedded product (silo/bin/.../Analytics.Silo.dll) as a child process on loopback ports, with its own
/// data folder. Stop() is a graceful SIGTERM; Kill() is SIGKILL, a crash.
/// </summary>
public sealed class EmbeddedProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public EmbeddedProcess(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        Port = FreePort.Next();
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Analytics__Sqlite__DataDirectory"] = dataDirectory,
            ["Analytics__Orleans__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Analytics__Orleans__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Analytics__Metrics__FlushInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress => new(BaseUrl);

    /// <summary>"http://127.0.0.1:port/", with the trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

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

    public static string SiloDll => Path.Combine(RepoPaths.Root, "silo", "bin", RepoPaths.Configuration, "net10.0", "Analytics.Silo.dll");

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (!File.Exists(SiloDll))
        {
            throw new FileNotFoundException("Build the solution first: the embedded process is not built.", SiloDll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString());
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The embedded process exited with {_process.ExitCode}:\n{Output}");
            }

            return (await http.GetAsync("/health")).IsSuccessStatusCode;
        }, timeout ?? TimeSpan.FromSeconds(60), "the embedded process to report healthy");
    }

    /// <summary>Graceful stop: SIGTERM, then wait for the process to end.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>A crash: SIGKILL, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
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
