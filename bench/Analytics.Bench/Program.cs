using Analytics.Bench;
using Analytics.Bench.Infra;

if (args.Length == 2 && args[0] == "--serve-bare")
{
    await BareKestrel.ServeAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

var settings = BenchSettings.Parse(args);
return await new BenchRunner(settings).RunAsync();
