using ZstdSharp;

namespace Analytics.Cassandra.Storage;

/// <summary>
/// How the Cassandra stores keep a blob of many small records (a lane's part, a block of archived events): a format
/// byte, then the records as one zstd frame at level 1. Such records repeat the same sites, pages and attribute
/// strings, so a blob shrinks several times, and every byte spared is one Cassandra does not log, flush, compress and
/// compact again.
/// </summary>
public static class CassandraBlobCodec
{
    private const byte ZstdFrame = 1;

    // zstd contexts are not thread-safe; Pack and Unpack run to completion on one thread.
    [ThreadStatic]
    private static Compressor? _compressor;

    [ThreadStatic]
    private static Decompressor? _decompressor;

    public static byte[] Pack(ReadOnlySpan<byte> records)
    {
        var packed = new byte[1 + Compressor.GetCompressBound(records.Length)];
        packed[0] = ZstdFrame;
        var length = (_compressor ??= new Compressor(1)).Wrap(records, packed.AsSpan(1));
        Array.Resize(ref packed, 1 + length);
        return packed;
    }

    /// <summary>The records of a stored blob (none for an empty one, as erasure may leave).</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty)
        {
            return [];
        }

        if (stored[0] != ZstdFrame)
        {
            throw new FormatException($"Unknown packed blob format {stored[0]}.");
        }

        var frame = stored[1..];
        var records = new byte[checked((int)Decompressor.GetDecompressedSize(frame))];
        var length = (_decompressor ??= new Decompressor()).Unwrap(frame, records);
        return length == records.Length ? records : throw new FormatException($"A packed blob unpacked to {length} bytes, not the {records.Length} its frame names.");
    }
}
