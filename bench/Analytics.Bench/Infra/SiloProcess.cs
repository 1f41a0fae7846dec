using System.Diagnostics;
using System.Reflection;
using System.Text;
using Analytics.Testing;

namespace Analytics.Bench.Infra;

/// <summary>The embedded silo (silo + gateway + dashboard) as its own process on loopback ports, with its own data dir.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private SiloProcess(Process process, int port, string log)
    {
        _process = process;
        Port = port;
        _log = log;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string LogFile => _log;

    /// <param name="dll">Another build of the silo to run (the pair scenario's B); null: the one built next to this bench.</param>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, string logFile, IReadOnlyDictionary<string, string>? extraEnv = null, MemoryLimit? limit = null, string? dll = null)
    {
        var silo = Launch(dataDirectory, logFile, extraEnv, limit, dll);
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"silo pid {silo.Pid} on {silo.BaseAddress}, data {dataDirectory}");
        return silo;
    }

    /// <summary>Starts the process without waiting for it to answer (the grid scenario watches its pump from the first moment).</summary>
    /// <param name="limit">Runs the silo under this memory limit: it enters the limit's cgroup before the runtime starts, which sizes its heap from it.</param>
    /// <param name="dll">Another build of the silo to run (the pair scenario's B); null: the one built next to this bench.</param>
    public static SiloProcess Launch(string dataDirectory, string logFile, IReadOnlyDictionary<string, string>? extraEnv = null, MemoryLimit? limit = null, string? dll = null)
    {
        dll ??= Paths.SiloDll();
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(limit?.ProcsFile is null ? "dotnet" : "sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        if (limit?.ProcsFile is { } procs)
        {
            // The shell enters the cgroup, then becomes the runtime (same pid): the process is limited from its first byte.
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("echo $$ > \"$0\" && exec dotnet \"$1\"");
            psi.ArgumentList.Add(procs);
        }

        psi.ArgumentList.Add(dll);
        InlineSocketCompletions.Clear(psi.Environment);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Urls"] = $"http://127.0.0.1:{port}";
        psi.Environment["Analytics__Sqlite__DataDirectory"] = dataDirectory;
        psi.Environment["Analytics__Orleans__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Analytics__Orleans__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // The load runner spreads beacons over client addresses with X-Forwarded-For: loopback is its proxy.
        psi.Environment["Analytics__Ingestion__TrustedProxies__0"] = "127.0.0.1";
        // The bench measures query latency back to back with one key: the per-credential read limit is out of its way.
        psi.Environment["Analytics__RateLimits__QueriesPerCredential"] = "10000000";
        // Nor is the per-site beacon limit (60,000 a minute by default): the ingest ceiling is measured, not the limit.
        psi.Environment["Analytics__RateLimits__EventsPerSite"] = "100000000";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // The test suite's credentials: the bench queries the stats API with the same key.
        foreach (var (k, v) in TestCredentials.Environment().Concat(extraEnv ?? new Dictionary<string, string>()).Concat(limit?.Environment ?? new Dictionary<string, string>()))
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the silo");
        var writer = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, port, logFile);
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) }.Authorize();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode}; see {_log}");
            }

            try
            {
                // Registering the sites needs grains, so wait for a registry answer rather than /alive.
                using var response = await http.GetAsync("api/sites/");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The silo did not answer within {timeout}; see {_log}");
    }

    public async Task RegisterSitesAsync(IEnumerable<string> domains)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress }.Authorize();
        foreach (var domain in domains)
        {
            using var body = new StringContent($"{{\"domain\":\"{domain}\",\"timezone\":\"Etc/UTC\"}}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("api/sites/", body);
            // 409: registered by an earlier run on the same data, which is as good.
            if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
            {
                response.EnsureSuccessStatusCode();
            }
        }
    }

    /// <summary>Resident set size of the silo process, from /proc (bytes).</summary>
    public long RssBytes() => ProcStats.StatusBytes(_process.Id, "VmRSS:");

    /// <summary>CPU seconds (user + system) the silo has used so far, from /proc/PID/stat.</summary>
    public double CpuSeconds() => ProcStats.CpuSeconds(_process.Id);

    public long PeakRssBytes() => ProcStats.StatusBytes(_process.Id, "VmHWM:");

    /// <summary>The silo's Prometheus scrape (GET /metrics), or null when it does not answer.</summary>
    public Task<PrometheusScrape?> ScrapeAsync() => PrometheusScrape.ReadAsync(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully (grain state is already written per call).
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}

public static class Paths
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Configuration =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BuildConfiguration")?.Value ?? "Release";

    /// <summary>The silo built next to this bench (same configuration), from the project reference.</summary>
    public static string SiloDll()
    {
        var dll = Path.Combine(RepoRoot(), "silo", "bin", Configuration, "net10.0", "Analytics.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the silo first (dotnet build -c " + Configuration + ")", dll);
    }

    public static string ResultsDir(string? overrideDir)
    {
        var dir = overrideDir ?? Path.Combine(RepoRoot(), "bench", "results");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
