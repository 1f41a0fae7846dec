using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>A column of a read segment whose buffers are filled on first use (<see cref="DeferredBuffers"/>).</summary>
/// <param name="buffers">The segment's deferred buffers; null for a column already whole (built in memory).</param>
internal sealed class DeferredColumn<TArray>(TArray array, DeferredBuffers? buffers)
    where TArray : class, IArrowArray
{
    private volatile bool _filled = buffers is null;

    public TArray Array
    {
        get
        {
            if (!_filled)
            {
                buffers!.Fill(array);
                _filled = true;
            }

            return array;
        }
    }

    /// <summary>
    /// The column's values for one read, the column left compressed when it is not filled yet: for a column read only
    /// to build an index, whose filled memory nothing would read again (<see cref="ColumnValues{T}"/>).
    /// </summary>
    public ColumnValues<T> ReadOnce<T>()
        where T : unmanaged, IEquatable<T>
    {
        if (array is not PrimitiveArray<T>)
        {
            throw new InvalidOperationException($"A {typeof(TArray).Name} holds no {typeof(T).Name} values.");
        }

        if (!_filled && array.Data is { Offset: 0, Buffers: [_, var values] } && buffers!.RentUnfilled(values) is { } rented)
        {
            // Sliced to the buffer first: a buffer shorter than its length says (a damaged segment) fails as a read in place would.
            return new(MemoryMarshal.Cast<byte, T>(rented.AsSpan(0, values.Length))[..array.Length], rented);
        }

        return new(((PrimitiveArray<T>)(IArrowArray)Array).Values, null);
    }
}
