using System.Buffers;
using System.Runtime.CompilerServices;

namespace Analytics.Grains.Segments;

/// <summary>
/// The distinct visitors of each group of one scan, from (group, visitor) pairs where a visitor is its row in the
/// segment's distinct visitors (<see cref="Segment.VisitorIds"/>): the pairs are appended as they come, then ordered by
/// group (a counting sort) and each group's repeats dropped by stamping a visitor with the group last seen. A day's
/// visitors fit in an array of a few hundred KB that stays in the CPU's cache; the hash table of (group, visitor hash)
/// pairs this replaces missed it on nearly every insert (a third of a month's scan).
/// Its arrays come from the shared pool and go back on <see cref="Dispose"/>.
/// </summary>
internal sealed class VisitorsByGroup : IDisposable
{
    private int[] _groups = ArrayPool<int>.Shared.Rent(512);
    private int[] _visitors = ArrayPool<int>.Shared.Rent(512);

    public int Count { get; private set; }

    /// <summary>Makes room for <paramref name="pairs"/> pairs at once, so a big scan never grows the arrays.</summary>
    public void Reserve(int pairs)
    {
        if (pairs > _groups.Length)
        {
            Grow(pairs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int group, int visitor)
    {
        if (Count == _groups.Length)
        {
            Grow(Math.Max(512, Count * 2));
        }

        _groups[Count] = group;
        _visitors[Count] = visitor;
        Count++;
    }

    /// <summary>
    /// Adds the pair (group, visitor) of each row, but not a row's that repeats the pair before it (rows come session by
    /// session). Without a branch on the data: each pair is written, and kept by moving past it only when new.
    /// </summary>
    /// <param name="rows">Event rows.</param>
    /// <param name="groups">The group of each row, or empty for group 0 throughout.</param>
    /// <param name="visitors">The visitor id of each event (indexed by event row).</param>
    public void AddRuns(ReadOnlySpan<int> rows, ReadOnlySpan<int> groups, ReadOnlySpan<int> visitors)
    {
        Reserve(Count + rows.Length);
        var n = Count;
        var groupOf = _groups.AsSpan(0, n + rows.Length);
        var visitorOf = _visitors.AsSpan(0, n + rows.Length);
        var lastGroup = -1;
        var lastVisitor = -1;
        for (var k = 0; k < rows.Length; k++)
        {
            var group = groups.IsEmpty ? 0 : groups[k];
            var visitor = visitors[rows[k]];
            groupOf[n] = group;
            visitorOf[n] = visitor;
            n += (group != lastGroup) | (visitor != lastVisitor) ? 1 : 0;
            lastGroup = group;
            lastVisitor = visitor;
        }

        Count = n;
    }

    /// <summary>
    /// Each group's distinct visitors as objects (null for a group without any): the sets of <see cref="Sets"/>, each
    /// exact one a slice of one array (see <see cref="GroupVisitors.FromSlice"/>).
    /// </summary>
    /// <param name="groupCount">Groups of the scan (ids below it).</param>
    /// <param name="hashes">The segment's distinct visitors: a visitor id is an index into it.</param>
    public GroupVisitors?[] ByGroup(int groupCount, ReadOnlySpan<ulong> hashes)
    {
        var sets = Sets(groupCount, hashes);
        var result = new GroupVisitors?[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            result[g] = sets.Large?[g] ?? (sets.Ends[g + 1] > sets.Ends[g] ? GroupVisitors.FromSlice(sets.Exact(g)) : null);
        }

        return result;
    }

    /// <summary>
    /// Each group's distinct visitors without an object per group: the exact sets one after the other in group order in
    /// one array, and a sketch for each group past the exact limit. A day's partial of a long tail has thousands of
    /// groups, and an object each was what the collector marked and copied while a query's partials were alive.
    /// </summary>
    /// <param name="groupCount">Groups of the scan (ids below it).</param>
    /// <param name="hashes">The segment's distinct visitors: a visitor id is an index into it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public VisitorSets Sets(int groupCount, ReadOnlySpan<ulong> hashes)
    {
        var ends = new int[groupCount + 1];
        if (Count == 0)
        {
            return new VisitorSets([], ends, null);
        }

        var offsets = ArrayPool<int>.Shared.Rent(groupCount + 1);
        var placed = ArrayPool<int>.Shared.Rent(Count);
        // Per group, where its next pair goes, then how many distinct visitors it has.
        var counts = ArrayPool<int>.Shared.Rent(groupCount);
        // Group + 1 of the last group each visitor was taken for (0: none yet).
        var stamps = ArrayPool<int>.Shared.Rent(Math.Max(1, hashes.Length));
        ulong[]? sketched = null;
        try
        {
            Array.Clear(offsets, 0, groupCount + 1);
            for (var p = 0; p < Count; p++)
            {
                offsets[_groups[p] + 1]++;
            }

            for (var g = 0; g < groupCount; g++)
            {
                offsets[g + 1] += offsets[g];
            }

            offsets.AsSpan(0, groupCount).CopyTo(counts);
            for (var p = 0; p < Count; p++)
            {
                placed[counts[_groups[p]]++] = _visitors[p];
            }

            // Each group's repeats dropped in place, its distinct visitors first in its range; without a branch on the
            // data: each visitor is written, and kept by moving past it only when not yet taken for this group.
            Array.Clear(stamps, 0, hashes.Length);
            var exact = 0;
            var largest = 0;
            for (var g = 0; g < groupCount; g++)
            {
                var n = 0;
                var first = offsets[g];
                var stamp = g + 1;
                for (var p = first; p < offsets[g + 1]; p++)
                {
                    var visitor = placed[p];
                    placed[first + n] = visitor;
                    n += stamps[visitor] != stamp ? 1 : 0;
                    stamps[visitor] = stamp;
                }

                counts[g] = n;
                if (n <= GroupVisitors.ExactLimit)
                {
                    exact += n;
                }
                else
                {
                    largest = Math.Max(largest, n);
                }
            }

            // Every element is written below.
            var shared = GC.AllocateUninitializedArray<ulong>(exact);
            GroupVisitors?[]? large = null;
            sketched = largest > 0 ? ArrayPool<ulong>.Shared.Rent(largest) : null;
            var at = 0;
            for (var g = 0; g < groupCount; g++)
            {
                var n = counts[g];
                var distinct = n <= GroupVisitors.ExactLimit ? shared.AsSpan(at, n) : sketched.AsSpan(0, n);
                var visitors = placed.AsSpan(offsets[g], n);
                for (var k = 0; k < visitors.Length; k++)
                {
                    distinct[k] = hashes[visitors[k]];
                }

                if (n <= GroupVisitors.ExactLimit)
                {
                    at += n;
                }
                else
                {
                    large ??= new GroupVisitors?[groupCount];
                    large[g] = GroupVisitors.FromDistinct(distinct);
                }

                ends[g + 1] = at;
            }

            return new VisitorSets(shared, ends, large);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(placed);
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<int>.Shared.Return(stamps);
            if (sketched is not null)
            {
                ArrayPool<ulong>.Shared.Return(sketched);
            }
        }
    }

    /// <summary>Gives the arrays back to the pool; the pairs are gone.</summary>
    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_groups);
        ArrayPool<int>.Shared.Return(_visitors);
        _groups = [];
        _visitors = [];
        Count = 0;
    }

    private void Grow(int length)
    {
        _groups = Resize(_groups, length, Count);
        _visitors = Resize(_visitors, length, Count);
    }

    private static int[] Resize(int[] array, int length, int used)
    {
        var larger = ArrayPool<int>.Shared.Rent(length);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<int>.Shared.Return(array);
        return larger;
    }
}
