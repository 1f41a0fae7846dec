using System.Diagnostics;
using Analytics.Testing;

namespace Analytics.Bench.Infra;

/// <summary>
/// The physical HTTP limit: a Kestrel app that reads the beacon body and answers 202, nothing else. Run in its own
/// process (this same executable with --serve-bare PORT) so it is measured like the silo.
/// </summary>
public static class BareKestrel
{
    public static async Task ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/api/event", async (HttpContext http) =>
        {
            var buffer = new byte[8192];
            while (await http.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            http.Response.StatusCode = StatusCodes.Status202Accepted;
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync("ok");
        });
        app.MapGet("/alive", () => "ok");
        await app.RunAsync();
    }

    public static async Task<Process> StartProcessAsync(int port)
    {
        // This bench's own build output, run by the dotnet host (works whether the bench runs as a process or in a test host).
        var dll = Path.Combine(Paths.RepoRoot(), "bench", "Analytics.Bench", "bin", Paths.Configuration, "net10.0", "Analytics.Bench.dll");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        InlineSocketCompletions.Clear(psi.Environment);
        psi.ArgumentList.Add(File.Exists(dll) ? dll : typeof(BareKestrel).Assembly.Location);

        psi.ArgumentList.Add("--serve-bare");
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var r = await http.GetAsync($"http://127.0.0.1:{port}/alive");
                if (r.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException("bare Kestrel did not start");
    }
}
