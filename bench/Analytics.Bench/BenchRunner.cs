using System.Diagnostics;
using Analytics.Bench.Infra;
using Analytics.Bench.Scenarios;

namespace Analytics.Bench;

public sealed class SkipScenarioException(string reason) : Exception(reason);

public sealed class BenchRunner(BenchSettings settings)
{
    public async Task<int> RunAsync()
    {
        var resultsDir = Paths.ResultsDir(settings.ResultsDir);
        var work = Path.Combine(Path.GetTempPath(), "analytics-bench", $"{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        Directory.CreateDirectory(work);
        Console.WriteLine($"analytics bench: {(settings.Quick ? "quick" : "full")} mode, scenarios {string.Join(", ", settings.Scenarios)}, results in {resultsDir}, work dir {work}");
        var context = new BenchContext(settings, work, resultsDir);
        var failures = 0;
        try
        {
            foreach (var name in settings.Scenarios)
            {
                var sw = Stopwatch.StartNew();
                Console.WriteLine($"== scenario {name}");
                try
                {
                    var report = name switch
                    {
                        "ingest" => await IngestScenario.RunAsync(context),
                        "pair" => await PairScenario.RunAsync(context),
                        "freshness" => await FreshnessScenario.RunAsync(context),
                        "grid" => await GridScenario.RunAsync(context),
                        "queries" => await QueriesScenario.RunAsync(context),
                        "peers" => await PeersScenario.RunAsync(context),
                        "memory" => await MemoryScenario.RunAsync(context),
                        "kafka" => await KafkaScenario.RunAsync(context),
                        "soak" => await SoakScenario.RunAsync(context),
                        "engine" => await EngineScenario.RunAsync(context),
                        "funnel" => await FunnelScenario.RunAsync(context),
                        _ => throw new ArgumentException(name),
                    };
                    report.Write(resultsDir);
                    Console.WriteLine($"== scenario {name} done in {sw.Elapsed.TotalSeconds:F1}s");
                }
                catch (SkipScenarioException skip)
                {
                    var required = Environment.GetEnvironmentVariable("ANALYTICS_REQUIRE_SERVICES") == "1";
                    Console.WriteLine($"== scenario {name} {(required ? "FAILED" : "SKIPPED")}: {skip.Message}");
                    File.WriteAllText(Path.Combine(resultsDir, name + ".md"), $"# {name}\n\nSkipped: {skip.Message}\n");
                    context.Skipped[name] = skip.Message;
                    if (required)
                    {
                        failures++;
                    }
                }
                catch (Exception ex)
                {
                    Console.WriteLine($"== scenario {name} FAILED: {ex}");
                    failures++;
                }
            }

            if (settings.Scenarios.Intersect(LanesSummary.Scenarios).Any())
            {
                LanesSummary.Write(resultsDir, settings, context.Targets, context.Skipped);
            }
        }
        finally
        {
            await context.DisposeAsync();
            if (settings.KeepWork)
            {
                Console.WriteLine($"bench: work dir kept: {work}");
            }
            else
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        Console.WriteLine(failures == 0 ? "bench: all scenarios done" : $"bench: {failures} scenario(s) failed");
        return failures == 0 ? 0 : 1;
    }
}
