using System.Buffers;
using System.Runtime.InteropServices;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Native Arrow buffers for reading sealed segments, left uninitialized. Arrow's default allocator zero-fills every
/// buffer it hands out, and the IPC reader then overwrites all of it (a decompressed buffer must come out at exactly its
/// length, a message body is read whole): after a restart that fill was a fifth of decoding a month of segments. Freed
/// like Arrow's own, by dispose or finalizer; managed arrays instead cost the scans (measured: slower in the engine bench).
/// </summary>
internal sealed class UninitializedArrowAllocator : MemoryAllocator
{
    public static readonly UninitializedArrowAllocator Instance = new();

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        bytesAllocated = length;
        return new Buffer(length);
    }

    private sealed unsafe class Buffer : MemoryManager<byte>
    {
        /// <summary>Told to the collector from this size up: pressure for every small bitmap schedules needless full collections.</summary>
        private const int PressureThreshold = 64 * 1024;

        private readonly int _length;
        private nint _pointer;

        public Buffer(int length)
        {
            _length = length;
            _pointer = (nint)NativeMemory.AlignedAlloc((nuint)length, DefaultAlignment);
            if (length >= PressureThreshold)
            {
                GC.AddMemoryPressure(length);
            }
        }

        // As Arrow's own native buffers: a span outliving its segment would read freed memory, which is why a scan keeps
        // its segment alive to the end (Segment.Scan).
#pragma warning disable CA2015
        ~Buffer() => Dispose(false);
#pragma warning restore CA2015

        public override Span<byte> GetSpan() => new((void*)_pointer, _length);

        /// <summary>Native memory never moves: nothing to pin.</summary>
        public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)_pointer + elementIndex, default, this);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            var pointer = Interlocked.Exchange(ref _pointer, 0);
            if (pointer != 0)
            {
                NativeMemory.AlignedFree((void*)pointer);
                if (_length >= PressureThreshold)
                {
                    GC.RemoveMemoryPressure(_length);
                }
            }
        }
    }
}
