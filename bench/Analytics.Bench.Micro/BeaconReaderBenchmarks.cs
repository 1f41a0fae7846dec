using System.Text;
using Analytics.Bench.Traffic;
using Analytics.Gateway.Ingestion;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Micro;

/// <summary>gateway/Ingestion/BeaconReader: a tracker's compact body, as the ingest scenario sends them, to a beacon.</summary>
[MemoryDiagnoser]
public class BeaconReaderBenchmarks
{
    private byte[][] _bodies = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(7, 5);
        _bodies = [.. generator.History(DateTime.UtcNow.AddDays(-1), DateTime.UtcNow, 1000).Select(b => Encoding.UTF8.GetBytes(b.ToCompactJson()))];
    }

    [Benchmark(Description = "Read, per compact body")]
    public Beacon Read() => BeaconReader.Read(_bodies[_next++ % _bodies.Length]);
}
