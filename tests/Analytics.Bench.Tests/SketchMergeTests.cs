using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Bench.Tests;

/// <summary>The vectorized register merge (a change made while profiling) must equal adding the union of hashes.</summary>
public sealed class SketchMergeTests
{
    [Theory]
    [InlineData(VisitorSketch.RowPrecision, 3_000, 5_000)]
    [InlineData(VisitorSketch.TotalsPrecision, 40_000, 25_000)]
    [InlineData(6, 500, 20)]
    public void MergeEqualsTheUnion(int precision, int left, int right)
    {
        var random = new Random(precision);
        var a = Enumerable.Range(0, left).Select(_ => (ulong)random.NextInt64()).ToArray();
        var b = Enumerable.Range(0, right).Select(_ => (ulong)random.NextInt64()).ToArray();
        var merged = Sketch(precision, a);
        merged.Merge(Sketch(precision, b));
        Assert.Equal(Sketch(precision, [.. a, .. b]).Count(), merged.Count());
    }

    private static VisitorSketch Sketch(int precision, IEnumerable<ulong> hashes)
    {
        var sketch = new VisitorSketch(precision);
        foreach (var h in hashes)
        {
            sketch.Add(h);
        }

        return sketch;
    }
}
