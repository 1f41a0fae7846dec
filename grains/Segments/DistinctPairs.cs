namespace Analytics.Grains.Segments;

/// <summary>
/// Distinct (group, visitor) pairs of one scan in one open-addressing table (linear probing, power-of-two capacity), then
/// bucketed by group: far cheaper than a hash set per group. Visitor hashes are already uniform; the group is mixed in.
/// </summary>
internal sealed class DistinctPairs
{
    private int _shift = 64 - 10;
    private int[] _slotGroup = new int[1024];
    private ulong[] _slotVisitor = new ulong[1024];
    private int[] _groups = new int[512];
    private ulong[] _visitors = new ulong[512];

    public int Count { get; private set; }

    /// <summary>Sizes the table for up to <paramref name="pairs"/> pairs at once, so a big scan never rehashes.</summary>
    public void Reserve(int pairs)
    {
        var capacity = (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, pairs * 2)));
        if (Count > 0 || capacity <= _slotGroup.Length)
        {
            return;
        }

        _slotGroup = new int[capacity];
        _slotVisitor = new ulong[capacity];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
    }

    public void Add(int group, ulong visitor)
    {
        if (Count * 2 >= _slotGroup.Length)
        {
            Grow();
        }

        var mask = _slotGroup.Length - 1;
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
            Array.Resize(ref _groups, Count * 2);
            Array.Resize(ref _visitors, Count * 2);
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

        var placed = new ulong[Count];
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

        return result;
    }

    private void Grow()
    {
        var groups = _slotGroup;
        var visitors = _slotVisitor;
        _slotGroup = new int[groups.Length * 2];
        _slotVisitor = new ulong[groups.Length * 2];
        _shift--;
        var mask = _slotGroup.Length - 1;
        for (var s = 0; s < groups.Length; s++)
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
    }

    /// <summary>Fibonacci hashing of the pair: the top bits of a multiplication spread even small ids over the table.</summary>
    private int Slot(int group, ulong visitor) => (int)(((visitor ^ ((ulong)(uint)group << 32)) * 0x9E3779B97F4A7C15UL) >> _shift);
}
