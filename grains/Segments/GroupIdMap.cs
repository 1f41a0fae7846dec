using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Analytics.Grains.Segments;

/// <summary>
/// A scan's group id per group key where the key space is too large for a plain array: open addressing with linear
/// probing over two pooled arrays (keys, and id + 1 with 0 for an empty slot), at most half full. A
/// <see cref="Dictionary{TKey, TValue}"/> took a modulo and two dependent loads per row of a long tail's breakdown.
/// </summary>
internal sealed class GroupIdMap : IDisposable
{
    private long[] _keys = [];
    private int[] _ids = [];
    private int _size;
    private int _shift = 64;
    private int _count;

    /// <summary>The id of <paramref name="key"/>, or -1 (then <paramref name="slot"/> is where <see cref="Add"/> puts it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(long key, out int slot)
    {
        var ids = _ids;
        if (_size == 0)
        {
            slot = -1;
            return -1;
        }

        var keys = _keys;
        var mask = _size - 1;
        slot = FibonacciHash.Slot((ulong)key, _shift);
        while (ids[slot] is var held and > 0)
        {
            if (keys[slot] == key)
            {
                return held - 1;
            }

            slot = (slot + 1) & mask;
        }

        return -1;
    }

    /// <summary>Adds <paramref name="key"/> with <paramref name="id"/> at the slot <see cref="Find"/> gave for it.</summary>
    public void Add(long key, int id, int slot)
    {
        if (slot < 0 || (_count + 1) * 2 > _size)
        {
            Grow();
            Find(key, out slot);
        }

        _keys[slot] = key;
        _ids[slot] = id + 1;
        _count++;
    }

    public void Dispose()
    {
        Return();
        _size = 0;
        _shift = 64;
        _count = 0;
    }

    private void Grow()
    {
        var (keys, ids, used) = (_keys, _ids, _size);
        var size = Math.Max(1 << 10, used * 2);
        _keys = ArrayPool<long>.Shared.Rent(size);
        _ids = ArrayPool<int>.Shared.Rent(size);
        // A rented array may be longer than asked (and hold old data past it): the table uses the power of two asked for.
        Array.Clear(_ids, 0, size);
        _size = size;
        _shift = 64 - BitOperations.Log2((uint)size);
        _count = 0;
        for (var s = 0; s < used; s++)
        {
            // Keys are distinct: each finds the empty slot it goes to.
            if (ids[s] > 0 && Find(keys[s], out var slot) < 0)
            {
                _keys[slot] = keys[s];
                _ids[slot] = ids[s];
                _count++;
            }
        }

        if (used > 0)
        {
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    private void Return()
    {
        if (_size > 0)
        {
            ArrayPool<long>.Shared.Return(_keys);
            ArrayPool<int>.Shared.Return(_ids);
            _keys = [];
            _ids = [];
        }
    }
}
