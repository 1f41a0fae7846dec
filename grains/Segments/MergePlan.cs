using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// How a built table and the rows added since merge into the next table: runs of the built table's rows (skipping the
/// replaced ones), each followed by at most one new row. The built rows move as blocks, so a merge costs a copy of the
/// table, not a sort of it; a column merges with the same plan as every other.
/// </summary>
internal sealed class MergePlan
{
    private readonly List<(int From, int To, int Added)> _pieces = [];

    /// <param name="builtCount">Rows of the built table.</param>
    /// <param name="added">The new rows in the order they take (indices into the added columns).</param>
    /// <param name="positions">Per new row (same order), the built row it goes before: non-decreasing.</param>
    /// <param name="replaced">Built rows left out, ascending.</param>
    private MergePlan(int builtCount, ReadOnlySpan<int> added, ReadOnlySpan<int> positions, ReadOnlySpan<int> replaced)
    {
        var cursor = 0;
        var r = 0;
        for (var j = 0; j <= added.Length; j++)
        {
            var to = j < added.Length ? positions[j] : builtCount;
            for (; r < replaced.Length && replaced[r] < to; r++)
            {
                _pieces.Add((cursor, replaced[r], -1));
                cursor = replaced[r] + 1;
            }

            _pieces.Add((cursor, to, j < added.Length ? added[j] : -1));
            cursor = to;
        }

        Count = builtCount - replaced.Length + added.Length;
    }

    /// <summary>
    /// The plan for a table ordered by (first, second): the new rows sorted the same way, each after the built rows it
    /// ties with and after the new ones added before it (so building now or later orders rows alike).
    /// </summary>
    /// <param name="builtFirst">The built table's first key column (its length is the built rows').</param>
    /// <param name="builtSecond">Its second key column.</param>
    /// <param name="addedFirst">The new rows' first key, in the order they were added.</param>
    /// <param name="addedSecond">Their second key.</param>
    /// <param name="replaced">Built rows left out, ascending.</param>
    public static MergePlan Ordered<TFirst, TSecond>(
        ReadOnlySpan<TFirst> builtFirst, ReadOnlySpan<TSecond> builtSecond, ReadOnlySpan<TFirst> addedFirst, ReadOnlySpan<TSecond> addedSecond, ReadOnlySpan<int> replaced)
        where TFirst : IComparable<TFirst>
        where TSecond : IComparable<TSecond>
    {
        var keys = new (TFirst First, TSecond Second, int Row)[addedFirst.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (addedFirst[i], addedSecond[i], i);
        }

        System.Array.Sort(keys);
        var order = new int[keys.Length];
        var positions = new int[keys.Length];
        for (var j = 0; j < keys.Length; j++)
        {
            order[j] = keys[j].Row;
            positions[j] = After(builtFirst, builtSecond, keys[j].First, keys[j].Second);
        }

        return new MergePlan(builtFirst.Length, order, positions, replaced);
    }

    /// <summary>Rows of the merged table.</summary>
    public int Count { get; }

    /// <summary>The merged column of fixed-width values as an Arrow buffer.</summary>
    public ArrowBuffer Merge<T>(ReadOnlySpan<T> built, ReadOnlySpan<T> added)
        where T : struct
    {
        var bytes = new byte[Count * Marshal.SizeOf<T>()];
        var output = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        var k = 0;
        foreach (var (from, to, row) in _pieces)
        {
            built[from..to].CopyTo(output[k..]);
            k += to - from;
            if (row >= 0)
            {
                output[k++] = added[row];
            }
        }

        return new ArrowBuffer(bytes);
    }

    /// <summary>
    /// A merged dictionary column: built codes keep their meaning (the dictionary only grew) but their null code moves
    /// to the dictionary's new end; added codes are -1 for null.
    /// </summary>
    public DictionaryArray Merge(DictionaryColumn? built, ReadOnlySpan<int> added, ColumnDictionary dictionary)
    {
        var nullCode = dictionary.Count;
        var bytes = new byte[Count * sizeof(int)];
        var output = MemoryMarshal.Cast<byte, int>(bytes.AsSpan());
        var codes = built is null ? default : built.Codes;
        var builtNull = built?.NullCode ?? nullCode;
        var k = 0;
        foreach (var (from, to, row) in _pieces)
        {
            var run = output.Slice(k, to - from);
            codes[from..to].CopyTo(run);
            if (builtNull != nullCode)
            {
                run.Replace(builtNull, nullCode);
            }

            k += to - from;
            if (row >= 0)
            {
                output[k++] = added[row] < 0 ? nullCode : added[row];
            }
        }

        var (bitmap, nulls) = Validity(output, nullCode);
        return new DictionaryArray(ArrowColumns.DictionaryString, new Int32Array(new ArrowBuffer(bytes), bitmap, Count, nulls, 0), dictionary.Arrow());
    }

    /// <summary>A merged bit column (booleans, or validity): <paramref name="built"/> empty means every built bit set.</summary>
    public (ArrowBuffer Bits, int Unset) Merge(ReadOnlySpan<byte> built, ReadOnlySpan<bool> added)
    {
        var bits = new byte[(Count + 7) / 8];
        var unset = 0;
        var k = 0;
        foreach (var (from, to, row) in _pieces)
        {
            for (var i = from; i < to; i++, k++)
            {
                unset += Set(bits, k, built.IsEmpty || BitUtility.GetBit(built, i));
            }

            if (row >= 0)
            {
                unset += Set(bits, k++, added[row]);
            }
        }

        return (new ArrowBuffer(bits), unset);
    }

    /// <summary>Merged nullable values: the values, and a validity bitmap only when some are null (as Arrow writes it).</summary>
    public (ArrowBuffer Values, ArrowBuffer Validity, int Nulls) Merge<T>(ReadOnlySpan<T> built, ReadOnlySpan<byte> builtValidity, ReadOnlySpan<T> added, ReadOnlySpan<bool> addedValid)
        where T : struct
    {
        var (bits, nulls) = Merge(builtValidity, addedValid);
        return (Merge(built, added), nulls == 0 ? ArrowBuffer.Empty : bits, nulls);
    }

    /// <summary>
    /// Each run's first merged row and its built rows: rows tied to a built row (the props of an event) follow it by
    /// shifting its row number.
    /// </summary>
    public IEnumerable<(int Merged, int From, int To, int Added)> Runs()
    {
        var k = 0;
        foreach (var (from, to, row) in _pieces)
        {
            yield return (k, from, to, row);
            k += to - from + (row >= 0 ? 1 : 0);
        }
    }

    /// <summary>The first row of a table ordered by (first, second) that comes after (<paramref name="first"/>, <paramref name="second"/>).</summary>
    private static int After<TFirst, TSecond>(ReadOnlySpan<TFirst> firsts, ReadOnlySpan<TSecond> seconds, TFirst first, TSecond second)
        where TFirst : IComparable<TFirst>
        where TSecond : IComparable<TSecond>
    {
        int low = 0, high = firsts.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            var order = firsts[mid].CompareTo(first);
            if (order < 0 || (order == 0 && seconds[mid].CompareTo(second) <= 0))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static int Set(byte[] bits, int index, bool value)
    {
        if (!value)
        {
            return 1;
        }

        bits[index >> 3] |= (byte)(1 << (index & 7));
        return 0;
    }

    private static (ArrowBuffer Bitmap, int Nulls) Validity(ReadOnlySpan<int> codes, int nullCode)
    {
        var nulls = codes.Count(nullCode);
        if (nulls == 0)
        {
            return (ArrowBuffer.Empty, 0);
        }

        var bits = new byte[(codes.Length + 7) / 8];
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] != nullCode)
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return (new ArrowBuffer(bits), nulls);
    }
}
