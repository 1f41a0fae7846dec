using System.Buffers;
using System.Numerics;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Grains.Segments;

/// <summary>
/// The distinct visitors of one group: visitor hashes while small (exact, 8 bytes a visitor, in no order; a scan's
/// sets are slices of one array per scan, see <see cref="FromSlice"/>),
/// a <see cref="VisitorSketch"/> of <see cref="VisitorSketch.TotalsPrecision"/> once larger than the sketch's own exact
/// limit, or the union of other sets not made yet (<see cref="Deferred"/>): a merge of a month of partials gathers
/// each group's day sets, and a group whose <see cref="UpperBound"/> keeps it off the page is never unioned. A
/// breakdown can have a hundred thousand groups, most with a few visitors: a hash set each would cost more than the scan.
/// </summary>
[GenerateSerializer, Alias("SegmentGroupVisitors")]
public sealed class GroupVisitors
{
    /// <summary>Exact up to here, as <see cref="VisitorSketch"/> of totals precision is.</summary>
    public const int ExactLimit = (1 << VisitorSketch.TotalsPrecision) / sizeof(ulong);

    /// <summary>Over the exact limit, a union's estimate is trusted to stay within this fraction above its true count.</summary>
    private const int BoundMarginShift = 3;

    /// <summary>
    /// Unions of at most this many hashes in all sort them; larger ones deduplicate through a hash table (sorting was a
    /// fifth of the samples of a thousand-row page of a month of source × entry page).
    /// </summary>
    private const int SortedUnionLimit = 64;

    /// <summary>The hashes of an exact set (a set is exact when it is neither a sketch nor deferred); never written.</summary>
    [Id(0)] private ArraySegment<ulong> _exact;

    [Id(1)] private VisitorSketch? _sketch;

    /// <summary>The sets this one is the union of, until it is first read (none: no array); they are never changed.</summary>
    [Id(2)] private ArraySegment<VisitorPart> _parts;

    private GroupVisitors(ArraySegment<ulong> exact, VisitorSketch? sketch)
    {
        _exact = exact;
        _sketch = sketch;
    }

    /// <summary>From distinct hashes (copied; a scan's sets are not sorted: every union sorts or hashes anyway).</summary>
    public static GroupVisitors FromDistinct(ReadOnlySpan<ulong> distinct) =>
        distinct.Length <= ExactLimit ? new GroupVisitors(distinct.ToArray(), null) : new GroupVisitors(default, ToSketch(distinct));

    /// <summary>
    /// From distinct hashes of at most <see cref="ExactLimit"/>, taken as they are: a slice of an array the caller never
    /// writes again. A scan puts every group's set in one array: a set of its own per group made a day's partial of a
    /// long tail thousands of small arrays, which the collector copied from generation to generation while a query ran.
    /// </summary>
    public static GroupVisitors FromSlice(ArraySegment<ulong> distinct) =>
        distinct.Count <= ExactLimit ? new GroupVisitors(distinct, null) : throw new ArgumentException("Past the exact limit.", nameof(distinct));

    /// <summary>
    /// The union of <paramref name="parts"/> (left unchanged, as their array), made when first read. A slice of one array
    /// shared by every group of a merge: a month of a long tail gathers hundreds of thousands of groups' sets, most of
    /// them a scan's exact sets, which are slices of their tables' arrays rather than objects.
    /// </summary>
    public static GroupVisitors Deferred(ArraySegment<VisitorPart> parts) => new(default, null) { _parts = parts };

    /// <summary>Roughly what this set holds on the heap (objects and arrays, headers included).</summary>
    public long EstimatedBytes => 48
        + (8L * _exact.Count)
        + (_sketch is { } sketch ? 64 + sketch.ApproximateBytes : 0)
        + (_parts.Array is null ? 0 : 24 + _parts.Sum(p => 24 + (p.Set?.EstimatedBytes ?? 0)));

    /// <summary>
    /// At least <see cref="Count"/>, without making a deferred union: the sum of its parts' exact sizes (over the exact
    /// limit, plus an eighth: the union is then a sketch whose estimate may pass the true count by its error, 0.8 %), or
    /// <see cref="long.MaxValue"/> when a part is a sketch. Otherwise the count itself.
    /// </summary>
    public long UpperBound
    {
        get
        {
            if (_parts.Array is null)
            {
                return Count();
            }

            var sum = 0L;
            foreach (var part in _parts)
            {
                if (part.Set is { IsExact: false })
                {
                    return long.MaxValue;
                }

                sum += part.Hashes.Length;
            }

            return sum <= ExactLimit ? sum : sum + (sum >> BoundMarginShift);
        }
    }

    /// <summary>The hashes of an exact set (none for a sketch or a deferred union not made yet).</summary>
    internal ReadOnlySpan<ulong> ExactHashes => _exact.AsSpan();

    /// <summary>An exact set, not a sketch or a deferred union.</summary>
    public bool IsExact => _sketch is null && _parts.Array is null;

    public long Count()
    {
        Resolve();
        return _sketch?.Count() ?? _exact.Count;
    }

    /// <summary>A copy that shares nothing a merge changes (an exact array is replaced by a merge, never written).</summary>
    public GroupVisitors Clone() => new(_exact, _sketch?.Clone()) { _parts = _parts };

    /// <summary>
    /// Adds <paramref name="other"/>'s visitors (it is left unchanged). A set past the exact limit turns into a sketch
    /// once and then takes exact sets hash by hash, never through a throwaway 16 KB sketch of their own. Many sets at
    /// once (a month of day partials) are cheaper through <see cref="Union(IReadOnlyList{GroupVisitors})"/>.
    /// </summary>
    public void Merge(GroupVisitors other)
    {
        Resolve();
        other.Resolve();
        if (IsExact && other.IsExact)
        {
            var union = Union([this, other]);
            (_exact, _sketch) = (union._exact, union._sketch);
            return;
        }

        var sketch = _sketch ??= ToSketch(_exact);
        _exact = default;
        if (other._sketch is { } theirs)
        {
            sketch.Merge(theirs);
            return;
        }

        foreach (var hash in other._exact.AsSpan())
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
        if (sets.Count == 1)
        {
            sets[0].Resolve();
            return sets[0].Clone();
        }

        var parts = new VisitorPart[sets.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = new VisitorPart(default, sets[i]);
        }

        return Union(parts);
    }

    private static GroupVisitors Union(ReadOnlySpan<VisitorPart> parts)
    {
        VisitorSketch? sketch = null;
        var exact = 0;
        foreach (var part in parts)
        {
            if (part.Set is not { } set)
            {
                exact += part.Exact.Count;
                continue;
            }

            set.Resolve();
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
                exact += set._exact.Count;
            }
        }

        if (sketch is not null)
        {
            foreach (var part in parts)
            {
                foreach (var hash in part.Hashes)
                {
                    sketch.Add(hash);
                }
            }

            return new GroupVisitors(default, sketch);
        }

        return exact <= SortedUnionLimit ? SmallUnion(parts, exact) : HashedUnion(parts, exact);
    }

    private static VisitorSketch ToSketch(ReadOnlySpan<ulong> hashes) => VisitorSketch.Dense(VisitorSketch.TotalsPrecision, hashes);

    /// <summary>Exact sets of at most <see cref="SortedUnionLimit"/> hashes in all: concatenated, sorted and deduplicated.</summary>
    private static GroupVisitors SmallUnion(ReadOnlySpan<VisitorPart> parts, int total)
    {
        var all = new ulong[total];
        var n = 0;
        foreach (var part in parts)
        {
            part.Hashes.CopyTo(all.AsSpan(n));
            n += part.Hashes.Length;
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

        return new GroupVisitors(new ArraySegment<ulong>(all, 0, distinct), null);
    }

    /// <summary>
    /// Exact sets of more hashes in all than <see cref="SortedUnionLimit"/>: deduplicated through a pooled hash table until
    /// the distinct ones pass the exact limit, then the rest go straight into the sketch. Sorting a month of a busy page's
    /// day sets (tens of thousands of hashes) to learn that they make a sketch was most of a merge.
    /// </summary>
    private static GroupVisitors HashedUnion(ReadOnlySpan<VisitorPart> parts, int total)
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
            foreach (var part in parts)
            {
                foreach (var hash in part.Hashes)
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
                return new GroupVisitors(default, sketch);
            }

            return new GroupVisitors(distinct.AsSpan(0, count).ToArray(), null);
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

    /// <summary>Makes a deferred union (once; not thread-safe, as a partial being answered has one reader).</summary>
    private void Resolve()
    {
        if (_parts.Array is null)
        {
            return;
        }

        var union = Union(_parts.AsSpan());
        (_exact, _sketch, _parts) = (union._exact, union._sketch, default);
    }
}
