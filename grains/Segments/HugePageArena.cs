using System.Buffers;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Native Arrow buffers for reading one large sealed segment, carved one after another from reserved address space whose
/// first part the kernel backs with transparent huge pages, left uninitialized. Decoding writes every byte of fresh
/// memory, and on this project's VMs a first touch costs ~3 µs per 4 KiB page: after a restart the page faults were a
/// third of decoding a month of segments (a 400 MB first touch, measured: 1.2 s with small pages, 0.02–0.8 s with huge
/// ones). Only the bytes the read is sure to fill get huge pages (a huge page half used would hold memory no process
/// counts); the rest, and any further region, small ones. The used part of a region is kept when the read ends, and it
/// is unmapped when the last of its buffers is freed, by dispose or finalizer, as Arrow's own native buffers. One arena
/// serves one read on one thread.
/// </summary>
internal sealed class HugePageArena : MemoryAllocator, IDisposable
{
    private const int HugePage = 2 * 1024 * 1024;
    private const int RegionBytes = 32 * HugePage;

    private readonly List<Region> _regions = [];
    private long _hugeBytes;
    private Region? _current;
    private bool _disposed;

    private HugePageArena(long hugeBytes) => _hugeBytes = hugeBytes;

    /// <summary>
    /// An arena for a read that will allocate at least <paramref name="leastBytes"/>, when that makes one huge page and
    /// the kernel gives anonymous memory directly (Linux); null otherwise.
    /// </summary>
    public static HugePageArena? TryCreate(long leastBytes)
    {
        var huge = leastBytes & ~(long)(HugePage - 1);
        return huge > 0 && LinuxVirtualMemory.IsAvailable ? new HugePageArena(huge) : null;
    }

    /// <summary>Bytes still mapped of the regions this arena reserved (all of a region until the read ends).</summary>
    internal long MappedBytes => _regions.Sum(r => r.MappedBytes);

    public void Dispose()
    {
        _disposed = true;
        _current?.EndAllocations();
        _current = null;
    }

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesAllocated = length;
        if (_current?.TryCarve(length) is { } carved)
        {
            return carved;
        }

        var reserved = Math.Max(RegionBytes, AlignUp(length + DefaultAlignment, HugePage));
        var huge = Math.Min(_hugeBytes, reserved);
        _hugeBytes -= huge;
        var region = Region.Reserve(reserved, huge);
        if (region is null)
        {
            return UninitializedArrowAllocator.Instance.Allocate(length);
        }

        _current?.EndAllocations();
        _regions.Add(region);
        _current = region;
        return region.TryCarve(length)!;
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) & ~(alignment - 1);

    /// <summary>A reserved range; alive while the arena allocates from it or any of its buffers is.</summary>
    private sealed class Region
    {
        private readonly nint _start;
        private readonly long _reserved;
        private long _used;
        private long _kept = -1;
        private int _references = 1; // the arena's own, until EndAllocations

        private Region(nint start, long reserved)
        {
            _start = start;
            _reserved = reserved;
        }

        public long MappedBytes => Volatile.Read(ref _references) == 0 ? 0 : _kept < 0 ? _reserved : _kept;

        public static Region? Reserve(long bytes, long hugeBytes)
        {
            var start = LinuxVirtualMemory.Reserve((nuint)bytes, (nuint)hugeBytes, HugePage);
            return start == 0 ? null : new Region(start, bytes);
        }

        public Buffer? TryCarve(int length)
        {
            var offset = AlignUp(_used, DefaultAlignment);
            if (offset + length > _reserved)
            {
                return null;
            }

            _used = offset + length;
            Interlocked.Increment(ref _references);
            return new Buffer(this, _start + (nint)offset, length);
        }

        /// <summary>Gives back the address space past the used part, then the arena's reference.</summary>
        public void EndAllocations()
        {
            _kept = AlignUp(_used, Environment.SystemPageSize);
            LinuxVirtualMemory.Release(_start + (nint)_kept, (nuint)(_reserved - _kept));
            Release();
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                LinuxVirtualMemory.Release(_start, (nuint)_kept);
            }
        }
    }

    private sealed class Buffer(Region region, nint pointer, int length) : NativeArrowBuffer(pointer, length)
    {
        protected override void Free(nint pointer) => region.Release();
    }
}
