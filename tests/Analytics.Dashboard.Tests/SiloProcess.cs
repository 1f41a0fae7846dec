using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Analytics.Dashboard.Tests;

/// <summary>The real embedded process (silo + gateway APIs + dashboard) on free loopback ports and a temp data folder.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly string dataDirectory;

    private SiloProcess(Process process, string baseUrl, string dataDirectory)
    {
        this.process = process;
        BaseUrl = baseUrl;
        this.dataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync()
    {
        var dll = SiloDll();
        var data = Directory.CreateTempSubdirectory("analytics-dashboard-tests-").FullName;
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["Analytics__Sqlite__DataDirectory"] = data;
        start.Environment["Analytics__Orleans__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Analytics__Orleans__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Analytics__Metrics__FlushInterval"] = "00:00:00.100";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), baseUrl, data);
        silo.process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.BeginOutputReadLine();
        silo.process.BeginErrorReadLine();
        await silo.WaitHealthyAsync();
        return silo;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {process.ExitCode}:\n{Log}");
            }

            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
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

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silo was not healthy within {StartDeadline.TotalSeconds}s:\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The silo built beside this test project, in the same configuration (the ProjectReference builds it first).</summary>
    private static string SiloDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Debug";
        var dll = Path.Combine(RepoPaths.Root(), "silo", "bin", configuration, "net10.0", "Analytics.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the silo first: {dll} is missing.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
