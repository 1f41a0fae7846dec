using System.Buffers;
using System.Numerics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Segments;

/// <summary>
/// The distinct visitors of one group: a sorted array of visitor hashes while small (exact, 8 bytes a visitor, merged
/// by a linear union), a <see cref="VisitorSketch"/> of <see cref="VisitorSketch.TotalsPrecision"/> once larger than
/// the sketch's own exact limit. A breakdown can have a hundred thousand groups, most with a few visitors: a hash set
/// each would cost more than the scan.
/// </summary>
[GenerateSerializer, Alias("SegmentGroupVisitors")]
public sealed class GroupVisitors
{
    /// <summary>Exact up to here, as <see cref="VisitorSketch"/> of totals precision is.</summary>
    public const int ExactLimit = (1 << VisitorSketch.TotalsPrecision) / sizeof(ulong);

    [Id(0)] private ulong[]? _exact;
    [Id(1)] private VisitorSketch? _sketch;

    private GroupVisitors(ulong[]? exact, VisitorSketch? sketch)
    {
        _exact = exact;
        _sketch = sketch;
    }

    /// <summary>From distinct hashes (the span is sorted in place).</summary>
    public static GroupVisitors FromDistinct(Span<ulong> distinct)
    {
        if (distinct.Length <= ExactLimit)
        {
            distinct.Sort();
            return new GroupVisitors(distinct.ToArray(), null);
        }

        return new GroupVisitors(null, ToSketch(distinct));
    }

    /// <summary>Roughly what this set holds on the heap (objects and arrays, headers included).</summary>
    public long EstimatedBytes => 40 + (_exact is { } exact ? 24 + (8L * exact.Length) : 0) + (_sketch is { } sketch ? 64 + sketch.ApproximateBytes : 0);

    public long Count() => _sketch?.Count() ?? _exact!.Length;

    public GroupVisitors Clone() => new(_exact, _sketch?.Clone());

    /// <summary>
    /// Adds <paramref name="other"/>'s visitors (it is left unchanged). A set past the exact limit turns into a sketch
    /// once and then takes exact sets hash by hash, never through a throwaway 16 KB sketch of their own. Many sets at
    /// once (a month of day partials) are cheaper through <see cref="Union(IReadOnlyList{GroupVisitors})"/>.
    /// </summary>
    public void Merge(GroupVisitors other)
    {
        if (_exact is not null && other._exact is not null)
        {
            var union = Union(_exact, other._exact);
            if (union.Length <= ExactLimit)
            {
                _exact = union;
                return;
            }

            _exact = null;
            _sketch = ToSketch(union);
            return;
        }

        var sketch = _sketch ??= ToSketch(_exact!);
        _exact = null;
        if (other._sketch is { } theirs)
        {
            sketch.Merge(theirs);
            return;
        }

        foreach (var hash in other._exact!)
        {
            sketch.Add(hash);
        }
    }

    /// <summary>
    /// The union of many sets at once, all left unchanged: exact sets are concatenated, sorted and deduplicated once
    /// (merging a month of day partials pairwise copied a growing set once per day).
    /// </summary>
    public static GroupVisitors Union(IReadOnlyList<GroupVisitors> sets)
    {
        VisitorSketch? sketch = null;
        var exact = 0;
        foreach (var set in sets)
        {
            if (set._sketch is { } theirs)
            {
                if (sketch is null)
                {
                    sketch = theirs.Clone();
                }
                else
                {
                    sketch.Merge(theirs);
                }
            }
            else
            {
                exact += set._exact!.Length;
            }
        }

        if (sketch is not null)
        {
            foreach (var set in sets)
            {
                foreach (var hash in set._exact ?? [])
                {
                    sketch.Add(hash);
                }
            }

            return new GroupVisitors(null, sketch);
        }

        return exact <= ExactLimit ? SmallUnion(sets, exact) : LargeUnion(sets, exact);
    }

    private static VisitorSketch ToSketch(ReadOnlySpan<ulong> hashes) => VisitorSketch.Dense(VisitorSketch.TotalsPrecision, hashes);

    /// <summary>Exact sets of at most <see cref="ExactLimit"/> hashes in all: concatenated, sorted and deduplicated (two by a linear merge).</summary>
    private static GroupVisitors SmallUnion(IReadOnlyList<GroupVisitors> sets, int total)
    {
        if (sets.Count == 2)
        {
            return new GroupVisitors(Union(sets[0]._exact!, sets[1]._exact!), null);
        }

        var all = new ulong[total];
        var n = 0;
        foreach (var set in sets)
        {
            set._exact!.CopyTo(all, n);
            n += set._exact.Length;
        }

        all.AsSpan().Sort();
        var distinct = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[i - 1])
            {
                all[distinct++] = all[i];
            }
        }

        return new GroupVisitors(distinct == all.Length ? all : all[..distinct], null);
    }

    /// <summary>
    /// Exact sets of more hashes in all than the exact limit: deduplicated through a pooled hash table until the distinct
    /// ones pass the limit, then the rest go straight into the sketch. Sorting a month of a busy page's day sets (tens of
    /// thousands of hashes) to learn that they make a sketch was most of a merge; only a result that stays exact is sorted.
    /// </summary>
    private static GroupVisitors LargeUnion(IReadOnlyList<GroupVisitors> sets, int total)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(total, ExactLimit + 1) * 2);
        var shift = 64 - BitOperations.Log2((uint)capacity);
        var table = ArrayPool<ulong>.Shared.Rent(capacity);
        Array.Clear(table, 0, capacity);
        var distinct = ArrayPool<ulong>.Shared.Rent(ExactLimit + 1);
        var count = 0;
        // 0 marks an empty slot, so the hash 0 is tracked apart.
        var zero = false;
        VisitorSketch? sketch = null;
        try
        {
            foreach (var set in sets)
            {
                foreach (var hash in set._exact!)
                {
                    if (sketch is not null)
                    {
                        sketch.Add(hash);
                        continue;
                    }

                    if (hash == 0 ? zero : !Insert(table.AsSpan(0, capacity), shift, hash))
                    {
                        continue;
                    }

                    zero |= hash == 0;
                    distinct[count++] = hash;
                    if (count > ExactLimit)
                    {
                        sketch = ToSketch(distinct.AsSpan(0, count));
                    }
                }
            }

            if (sketch is not null)
            {
                return new GroupVisitors(null, sketch);
            }

            var exact = distinct.AsSpan(0, count).ToArray();
            exact.AsSpan().Sort();
            return new GroupVisitors(exact, null);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(table);
            ArrayPool<ulong>.Shared.Return(distinct);
        }
    }

    /// <summary>
    /// Adds a non-zero hash to an open-addressing table of a power-of-two length (linear probing); false when it was
    /// there. The span, not the rented array: the pool may hand out a longer one, whose tail was never cleared.
    /// </summary>
    private static bool Insert(Span<ulong> table, int shift, ulong hash)
    {
        var mask = table.Length - 1;
        var slot = FibonacciHash.Slot(hash, shift);
        while (table[slot] != 0)
        {
            if (table[slot] == hash)
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }

        table[slot] = hash;
        return true;
    }

    private static ulong[] Union(ulong[] a, ulong[] b)
    {
        var result = new ulong[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var next = a[i] <= b[j] ? a[i] : b[j];
            i += a[i] == next ? 1 : 0;
            j += b[j] == next ? 1 : 0;
            result[n++] = next;
        }

        while (i < a.Length)
        {
            result[n++] = a[i++];
        }

        while (j < b.Length)
        {
            result[n++] = b[j++];
        }

        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }
}
