using Analytics.Bench.Micro;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process toolchain: no generated project to build, so a run stays short on a shared 2-core machine.
// --quick: a short job (3 warm-ups, 5 iterations); otherwise BenchmarkDotNet's default job.
var quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToArray();
var job = (quick ? Job.ShortRun.WithWarmupCount(3).WithIterationCount(5) : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromTypes(
    [typeof(UserAgentBenchmarks), typeof(BeaconReaderBenchmarks), typeof(PipelineBenchmarks), typeof(SketchBenchmarks), typeof(SegmentBenchmarks), typeof(EnvelopeBenchmarks), typeof(SegmentScanBenchmarks), typeof(SegmentPartialBenchmarks), typeof(SegmentBuilderBenchmarks), typeof(LaneSessionBenchmarks)])
    .Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
