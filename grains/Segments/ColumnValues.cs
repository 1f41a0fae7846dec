using System.Buffers;

namespace Analytics.Grains.Segments;

/// <summary>
/// A column's values for one read: in place when the column is filled, otherwise decompressed into rented memory that
/// goes back on <see cref="Dispose"/>, the column itself left compressed (<see cref="DeferredColumn{TArray}.ReadOnce{T}"/>).
/// Disposed once, by the <c>using</c> that took it: a copy disposed too would give the array back twice.
/// </summary>
internal readonly ref struct ColumnValues<T>
    where T : unmanaged
{
    private readonly byte[]? _rented;

    public ColumnValues(ReadOnlySpan<T> values, byte[]? rented)
    {
        Span = values;
        _rented = rented;
    }

    public ReadOnlySpan<T> Span { get; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
