using System.Buffers;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Arrow buffers as managed arrays, for record batches built only to be written out (exports). Arrow's default allocator
/// hands out native memory freed by a finalizer, and a span the IPC writer copies from does not keep it alive: an export
/// failed once in a CI run with a NullReferenceException inside the writer's copy. A managed array stays alive while any span
/// points into it. Zeroed, as Arrow's own: a builder pads its buffers to 64 bytes and writes only its values.
/// </summary>
internal sealed class ManagedArrowAllocator : MemoryAllocator
{
    public static readonly ManagedArrowAllocator Instance = new();

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        bytesAllocated = length;
        return new ManagedMemoryOwner(new byte[length]);
    }
}
