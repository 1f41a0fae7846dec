using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Analytics.Grains.Segments;

/// <summary>
/// Distinct (group, visitor) pairs of one scan in one open-addressing table (linear probing, power-of-two capacity), then
/// bucketed by group: far cheaper than a hash set per group. Visitor hashes are already uniform; the group is mixed in.
/// Its arrays come from the shared pool and go back on <see cref="Dispose"/>: a scan of a big segment would otherwise
/// allocate tens of megabytes on the large-object heap, and the collections and fresh pages cost more than the scan.
/// </summary>
internal sealed class DistinctPairs : IDisposable
{
    private int _shift;
    private int _capacity;
    private int[] _slotGroup;
    private ulong[] _slotVisitor;
    private int[] _groups;
    private ulong[] _visitors;

    public DistinctPairs()
    {
        (_slotGroup, _slotVisitor, _shift, _capacity) = Slots(1024);
        _groups = ArrayPool<int>.Shared.Rent(512);
        _visitors = ArrayPool<ulong>.Shared.Rent(512);
    }

    public int Count { get; private set; }

    /// <summary>Sizes the table for up to <paramref name="pairs"/> pairs at once, so a big scan never rehashes.</summary>
    public void Reserve(int pairs)
    {
        var capacity = (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, pairs * 2)));
        if (Count > 0 || capacity <= _capacity)
        {
            return;
        }

        Return();
        (_slotGroup, _slotVisitor, _shift, _capacity) = Slots(capacity);
        _groups = ArrayPool<int>.Shared.Rent(Math.Max(512, pairs));
        _visitors = ArrayPool<ulong>.Shared.Rent(Math.Max(512, pairs));
    }

    // Optimized from its first call: after a restart the first questions ran it unoptimized (tier 0, 5 % of a cold
    // question's samples) until tiering caught up; it has nothing for profile-guided optimization to learn.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int group, ulong visitor)
    {
        if (Count * 2 >= _capacity)
        {
            Grow();
        }

        var mask = _capacity - 1;
        var slot = Slot(group, visitor);
        // Slots hold group + 1, so 0 marks an empty one.
        while (_slotGroup[slot] != 0)
        {
            if (_slotGroup[slot] == group + 1 && _slotVisitor[slot] == visitor)
            {
                return;
            }

            slot = (slot + 1) & mask;
        }

        _slotGroup[slot] = group + 1;
        _slotVisitor[slot] = visitor;
        if (Count == _groups.Length)
        {
            _groups = Resize(_groups, Count * 2);
            _visitors = Resize(_visitors, Count * 2);
        }

        _groups[Count] = group;
        _visitors[Count] = visitor;
        Count++;
    }

    /// <summary>Each group's distinct visitors.</summary>
    public GroupVisitors?[] ByGroup(int groupCount)
    {
        var offsets = new int[groupCount + 1];
        for (var p = 0; p < Count; p++)
        {
            offsets[_groups[p] + 1]++;
        }

        for (var g = 0; g < groupCount; g++)
        {
            offsets[g + 1] += offsets[g];
        }

        var placed = ArrayPool<ulong>.Shared.Rent(Math.Max(1, Count));
        var next = offsets.AsSpan(0, groupCount).ToArray();
        for (var p = 0; p < Count; p++)
        {
            placed[next[_groups[p]]++] = _visitors[p];
        }

        var result = new GroupVisitors?[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            if (offsets[g + 1] > offsets[g])
            {
                result[g] = GroupVisitors.FromDistinct(placed.AsSpan(offsets[g], offsets[g + 1] - offsets[g]));
            }
        }

        ArrayPool<ulong>.Shared.Return(placed);
        return result;
    }

    /// <summary>Gives the arrays back to the pool; the pairs are gone.</summary>
    public void Dispose()
    {
        Return();
        _slotGroup = [];
        _slotVisitor = [];
        _groups = [];
        _visitors = [];
        _capacity = 0;
        Count = 0;
    }

    private static (int[] Groups, ulong[] Visitors, int Shift, int Capacity) Slots(int capacity)
    {
        var groups = ArrayPool<int>.Shared.Rent(capacity);
        // Only the group slots need clearing: a visitor slot is read only where its group slot is taken.
        Array.Clear(groups, 0, capacity);
        return (groups, ArrayPool<ulong>.Shared.Rent(capacity), 64 - BitOperations.Log2((uint)capacity), capacity);
    }

    private static T[] Resize<T>(T[] array, int length)
    {
        var larger = ArrayPool<T>.Shared.Rent(length);
        array.AsSpan().CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        return larger;
    }

    private void Return()
    {
        if (_capacity > 0)
        {
            ArrayPool<int>.Shared.Return(_slotGroup);
            ArrayPool<ulong>.Shared.Return(_slotVisitor);
            ArrayPool<int>.Shared.Return(_groups);
            ArrayPool<ulong>.Shared.Return(_visitors);
        }
    }

    private void Grow()
    {
        var groups = _slotGroup;
        var visitors = _slotVisitor;
        var old = _capacity;
        (_slotGroup, _slotVisitor, _shift, _capacity) = Slots(old * 2);
        var mask = _capacity - 1;
        for (var s = 0; s < old; s++)
        {
            if (groups[s] == 0)
            {
                continue;
            }

            var slot = Slot(groups[s] - 1, visitors[s]);
            while (_slotGroup[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slotGroup[slot] = groups[s];
            _slotVisitor[slot] = visitors[s];
        }

        ArrayPool<int>.Shared.Return(groups);
        ArrayPool<ulong>.Shared.Return(visitors);
    }

    /// <summary>Fibonacci hashing of the pair: the top bits of a multiplication spread even small ids over the table.</summary>
    private int Slot(int group, ulong visitor) => FibonacciHash.Slot(visitor ^ ((ulong)(uint)group << 32), _shift);
}
