namespace Analytics.Grains.Lanes;

/// <summary>
/// A lane's slots in chunks small enough for the small-object heap: growing adds a chunk instead of copying every slot
/// into an array twice the size, which left the large-object heap fragmented by the arrays outgrown.
/// </summary>
internal sealed class LaneSlots
{
    /// <summary>Slots per chunk: 512 × 128 bytes stays under the large-object threshold (85,000 bytes).</summary>
    private const int ChunkBits = 9;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly List<LaneSlot[]> _chunks = [];

    /// <summary>Slots allocated (in use or free).</summary>
    public int Capacity => _chunks.Count * ChunkSize;

    public ref LaneSlot this[int at] => ref _chunks[at >> ChunkBits][at & (ChunkSize - 1)];

    /// <summary>Adds a chunk when <paramref name="at"/> is past the allocated slots.</summary>
    public void EnsureCapacity(int at)
    {
        while (at >= Capacity)
        {
            _chunks.Add(new LaneSlot[ChunkSize]);
        }
    }
}
