using System.Buffers;
using System.Runtime.InteropServices;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Native Arrow buffers for reading sealed segments, left uninitialized. Arrow's default allocator zero-fills every
/// buffer it hands out, and the IPC reader then overwrites all of it (a decompressed buffer must come out at exactly its
/// length, a message body is read whole): after a restart that fill was a fifth of decoding a month of segments. Managed
/// arrays instead cost the scans (measured: slower in the engine bench).
/// </summary>
internal sealed class UninitializedArrowAllocator : MemoryAllocator
{
    public static readonly UninitializedArrowAllocator Instance = new();

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        bytesAllocated = length;
        return new Buffer(length);
    }

    private sealed unsafe class Buffer(int length) : NativeArrowBuffer((nint)NativeMemory.AlignedAlloc((nuint)length, DefaultAlignment), length)
    {
        protected override void Free(nint pointer) => NativeMemory.AlignedFree((void*)pointer);
    }
}
