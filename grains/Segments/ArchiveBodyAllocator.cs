using System.Buffers;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Hands Arrow's IPC reader each message body as the archive's own bytes, where it would allocate fresh memory and copy
/// the body into it. After a restart the first question over a month copied the site's ~95 MB of compressed bodies into
/// fresh pages, and the kernel's zeroing of those pages was a sixth of the question's CPU (bench/README.md, session 34).
/// Arrow's reader of a <see cref="MemoryStream"/> whose buffer it may see (Apache.Arrow 23) moves the stream past a
/// message's body and then asks for the body's buffer; the buffers it decompresses into are asked for after that, with
/// the stream where it was. So the first request after the stream moved is the body that ends where the stream is (the
/// reader's copy of it onto itself changes nothing), and every other request gets <paramref name="others"/>' memory.
/// SegmentArchiveTests read every table both ways and fail if a later Arrow asks in another order. A body, and so a
/// buffer zstd did not shrink (stored as it is), now starts wherever the archive put it, not on Arrow's 8-byte boundary:
/// reads of such a column may be unaligned, which x64 and ARM64 allow at a small cost.
/// </summary>
/// <param name="stream">The entry's stream the reader reads, over <paramref name="bytes"/> from its start.</param>
/// <param name="bytes">The entry's bytes; the tables read keep referencing them, so they must not change.</param>
internal sealed class ArchiveBodyAllocator(MemoryStream stream, ArraySegment<byte> bytes, MemoryAllocator others) : MemoryAllocator
{
    private long _bodyEnd = -1;

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        var end = stream.Position;
        if (end != _bodyEnd && end >= length && end <= bytes.Count)
        {
            _bodyEnd = end;
            bytesAllocated = 0;
            return new ManagedMemoryOwner(bytes.AsMemory((int)end - length, length));
        }

        bytesAllocated = length;
        return others.Allocate(length);
    }
}
