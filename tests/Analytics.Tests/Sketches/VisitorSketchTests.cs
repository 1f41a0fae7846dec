using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Tests.Sketches;

public sealed class VisitorSketchTests
{
    private static ulong Hash(int i) => VisitorHash.Of("example.com", "visitor-" + i);

    [Fact]
    public void Small_sets_are_counted_exactly()
    {
        var sketch = new VisitorSketch();
        for (var i = 0; i < 1000; i++)
        {
            sketch.Add(Hash(i));
            sketch.Add(Hash(i));
        }

        Assert.True(sketch.IsExact);
        Assert.Equal(1000, sketch.Count());
    }

    [Theory]
    [InlineData(VisitorSketch.TotalsPrecision, 100_000, 0.02)]
    [InlineData(VisitorSketch.TotalsPrecision, 1_000_000, 0.02)]
    [InlineData(VisitorSketch.TotalsPrecision, 5_000, 0.02)]
    [InlineData(VisitorSketch.RowPrecision, 50_000, 0.08)]
    public void Estimates_stay_within_the_error_bound(int precision, int distinct, double bound)
    {
        var sketch = new VisitorSketch(precision);
        for (var i = 0; i < distinct; i++)
        {
            sketch.Add(Hash(i));
        }

        Assert.False(sketch.IsExact);
        var error = Math.Abs(sketch.Count() - distinct) / (double)distinct;
        Assert.True(error < bound, $"{distinct} distinct estimated as {sketch.Count()} ({error:P2} off, bound {bound:P0}).");
    }

    [Fact]
    public void Merging_counts_the_union_not_the_sum()
    {
        var monday = new VisitorSketch();
        var tuesday = new VisitorSketch();
        for (var i = 0; i < 60_000; i++)
        {
            monday.Add(Hash(i));
        }

        for (var i = 40_000; i < 100_000; i++)
        {
            tuesday.Add(Hash(i));
        }

        monday.Merge(tuesday);
        var error = Math.Abs(monday.Count() - 100_000) / 100_000.0;
        Assert.True(error < 0.02, $"union of 100000 estimated as {monday.Count()}");
    }

    [Fact]
    public void Merging_exact_into_dense_and_dense_into_exact_agree()
    {
        var small = new VisitorSketch();
        var large = new VisitorSketch();
        for (var i = 0; i < 100; i++)
        {
            small.Add(Hash(i));
        }

        for (var i = 0; i < 20_000; i++)
        {
            large.Add(Hash(i));
        }

        var a = small.Clone();
        a.Merge(large);
        var b = large.Clone();
        b.Merge(small);
        Assert.Equal(a.Count(), b.Count());
        Assert.Equal(b.Count(), large.Count());
    }

    [Fact]
    public void Clones_are_independent()
    {
        var sketch = new VisitorSketch();
        sketch.Add(Hash(1));
        var clone = sketch.Clone();
        clone.Add(Hash(2));

        Assert.Equal(1, sketch.Count());
        Assert.Equal(2, clone.Count());
    }

    [Fact]
    public void Sketches_of_different_precision_do_not_merge()
    {
        var totals = new VisitorSketch(VisitorSketch.TotalsPrecision);
        Assert.Throws<InvalidOperationException>(() => totals.Merge(new VisitorSketch(VisitorSketch.RowPrecision)));
    }
}
