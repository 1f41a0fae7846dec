using System.Buffers;

namespace Analytics.Grains.Segments;

/// <summary>
/// An Arrow buffer in native memory that the collector does not see: its size is told to the collector from 64 KiB up,
/// and it is freed once, by dispose or finalizer, like Arrow's own native buffers. A span outliving its segment would
/// read freed memory, which is why a scan keeps its segment alive to the end (<see cref="Segment.Scan"/>).
/// </summary>
internal abstract unsafe class NativeArrowBuffer : MemoryManager<byte>
{
    /// <summary>Pressure for every small bitmap would schedule needless full collections.</summary>
    private const int PressureThreshold = 64 * 1024;

    private readonly int _length;
    private nint _pointer;

    protected NativeArrowBuffer(nint pointer, int length)
    {
        _pointer = pointer;
        _length = length;
        if (length >= PressureThreshold)
        {
            GC.AddMemoryPressure(length);
        }
    }

#pragma warning disable CA2015
    ~NativeArrowBuffer() => Dispose(false);
#pragma warning restore CA2015

    public override Span<byte> GetSpan() => new((void*)_pointer, _length);

    /// <summary>Native memory never moves: nothing to pin.</summary>
    public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)_pointer + elementIndex, default, this);

    public override void Unpin()
    {
    }

    /// <summary>Gives the memory at <paramref name="pointer"/> back; called once.</summary>
    protected abstract void Free(nint pointer);

    protected sealed override void Dispose(bool disposing)
    {
        var pointer = Interlocked.Exchange(ref _pointer, 0);
        if (pointer != 0)
        {
            Free(pointer);
            if (_length >= PressureThreshold)
            {
                GC.RemoveMemoryPressure(_length);
            }
        }
    }
}
