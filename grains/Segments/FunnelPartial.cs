namespace Analytics.Grains.Segments;

/// <summary>A funnel's partial answer over some segments: the distinct visitors of the range and of each step; partials merge.</summary>
[GenerateSerializer, Alias("SegmentFunnelPartial")]
public sealed class FunnelPartial
{
    [Id(0)] private readonly GroupVisitors?[] _steps;
    [Id(1)] private GroupVisitors? _all;

    public FunnelPartial(int steps)
        : this(new GroupVisitors?[steps], null)
    {
    }

    internal FunnelPartial(GroupVisitors?[] steps, GroupVisitors? all)
    {
        _steps = steps;
        _all = all;
    }

    public long AllVisitors => _all?.Count() ?? 0;

    public IReadOnlyList<long> StepVisitors => [.. _steps.Select(s => s?.Count() ?? 0)];

    /// <summary>Adds <paramref name="other"/>'s visitors (a visitor counted in two segments counts once).</summary>
    public void Merge(FunnelPartial other)
    {
        _all = Union(_all, other._all);
        for (var s = 0; s < _steps.Length; s++)
        {
            _steps[s] = Union(_steps[s], other._steps[s]);
        }
    }

    private static GroupVisitors? Union(GroupVisitors? mine, GroupVisitors? theirs)
    {
        if (theirs is null)
        {
            return mine;
        }

        if (mine is null)
        {
            return theirs.Clone();
        }

        mine.Merge(theirs);
        return mine;
    }
}
