using System.Runtime.InteropServices;

namespace Analytics.Grains.Segments;

/// <summary>
/// Anonymous memory mapped straight from the Linux kernel, for <see cref="HugePageArena"/>: <c>mmap</c>, <c>munmap</c> and
/// <c>madvise(MADV_HUGEPAGE)</c> from glibc, looked up once. Unavailable (and never called) on other systems or C
/// libraries; callers then fall back to the allocator they had.
/// </summary>
internal static unsafe class LinuxVirtualMemory
{
    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymousNoReserve = 0x02 | 0x20 | 0x4000;
    private const int AdviseHugePage = 14;

    private static readonly delegate* unmanaged<nint, nuint, int, int, int, nint, nint> Map;
    private static readonly delegate* unmanaged<nint, nuint, int> Unmap;
    private static readonly delegate* unmanaged<nint, nuint, int, int> Advise;

    static LinuxVirtualMemory()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc))
        {
            return;
        }

        if (NativeLibrary.TryGetExport(libc, "mmap", out var map)
            && NativeLibrary.TryGetExport(libc, "munmap", out var unmap)
            && NativeLibrary.TryGetExport(libc, "madvise", out var advise))
        {
            Map = (delegate* unmanaged<nint, nuint, int, int, int, nint, nint>)map;
            Unmap = (delegate* unmanaged<nint, nuint, int>)unmap;
            Advise = (delegate* unmanaged<nint, nuint, int, int>)advise;
        }
    }

    public static bool IsAvailable => Map != null;

    /// <summary>
    /// Reserves <paramref name="length"/> bytes aligned to <paramref name="alignment"/> (a multiple of the page size),
    /// asking for transparent huge pages in its first <paramref name="hugeLength"/> bytes; nothing is committed until
    /// touched. Zero when the kernel refuses.
    /// </summary>
    public static nint Reserve(nuint length, nuint hugeLength, nuint alignment)
    {
        var mapped = Map(0, length + alignment, ProtReadWrite, MapPrivateAnonymousNoReserve, -1, 0);
        if (mapped == -1)
        {
            return 0;
        }

        // mmap aligns to pages only: trim the head and tail around an aligned start.
        var start = (nint)(((nuint)mapped + alignment - 1) & ~(alignment - 1));
        var head = (nuint)(start - mapped);
        if (head > 0)
        {
            Unmap(mapped, head);
        }

        Unmap(start + (nint)length, alignment - head);

        // Advice only: a kernel with huge pages off still maps the range with small pages.
        if (hugeLength > 0)
        {
            Advise(start, hugeLength, AdviseHugePage);
        }

        return start;
    }

    public static void Release(nint start, nuint length)
    {
        if (length > 0)
        {
            Unmap(start, length);
        }
    }
}
