using System.Buffers;

namespace Analytics.Grains.Segments;

/// <summary>Managed memory handed to Arrow as a buffer's owner: the collector frees it, so dispose has nothing to do.</summary>
internal sealed class ManagedMemoryOwner(Memory<byte> memory) : IMemoryOwner<byte>
{
    public Memory<byte> Memory { get; } = memory;

    public void Dispose()
    {
    }
}
