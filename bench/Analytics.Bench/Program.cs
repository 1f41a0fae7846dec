using Analytics.Bench;
using Analytics.Bench.Infra;
using Analytics.Testing;

if (args.Length == 2 && args[0] == "--serve-bare")
{
    await BareKestrel.ServeAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

// The load generator shares the cores with the servers it measures: its sockets complete on the runtime's event threads,
// as wrk's event loops do, not through the thread pool (bench/README.md, session 49). The servers it starts run without it.
InlineSocketCompletions.Enable();
var settings = BenchSettings.Parse(args);
return await new BenchRunner(settings).RunAsync();
