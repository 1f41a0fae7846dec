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

    /// <summary>Each group's distinct visitors (null for a group without any).</summary>
    /// <param name="groupCount">Groups of the scan (ids below it).</param>
    /// <param name="hashes">The segment's distinct visitors: a visitor id is an index into it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public GroupVisitors?[] ByGroup(int groupCount, ReadOnlySpan<ulong> hashes)
    {
        var result = new GroupVisitors?[groupCount];
        if (Count == 0)
        {
            return result;
        }

        var offsets = new int[groupCount + 1];
        for (var p = 0; p < Count; p++)
        {
            offsets[_groups[p] + 1]++;
        }

        var largest = 0;
        for (var g = 0; g < groupCount; g++)
        {
            largest = Math.Max(largest, offsets[g + 1]);
            offsets[g + 1] += offsets[g];
        }

        var placed = ArrayPool<int>.Shared.Rent(Count);
        var next = ArrayPool<int>.Shared.Rent(groupCount);
        // Group + 1 of the last group each visitor was taken for (0: none yet).
        var stamps = ArrayPool<int>.Shared.Rent(Math.Max(1, hashes.Length));
        var distinct = ArrayPool<ulong>.Shared.Rent(largest);
        try
        {
            offsets.AsSpan(0, groupCount).CopyTo(next);
            for (var p = 0; p < Count; p++)
            {
                placed[next[_groups[p]]++] = _visitors[p];
            }

            Array.Clear(stamps, 0, hashes.Length);
            for (var g = 0; g < groupCount; g++)
            {
                var n = 0;
                for (var p = offsets[g]; p < offsets[g + 1]; p++)
                {
                    var visitor = placed[p];
                    if (stamps[visitor] != g + 1)
                    {
                        stamps[visitor] = g + 1;
                        distinct[n++] = hashes[visitor];
                    }
                }

                if (n > 0)
                {
                    result[g] = GroupVisitors.FromDistinct(distinct.AsSpan(0, n));
                }
            }

            return result;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(placed);
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(stamps);
            ArrayPool<ulong>.Shared.Return(distinct);
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
