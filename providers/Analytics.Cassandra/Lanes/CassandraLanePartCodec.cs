using ZstdSharp;

namespace Analytics.Cassandra.Lanes;

/// <summary>
/// How the Cassandra lane store keeps a part: a format byte, then its records (<see cref="Abstractions.Lanes.LaneSessionRecords"/>)
/// as one zstd frame at level 1. Sessions of one lane repeat the same sites, pages and attribute strings, so a part
/// shrinks several times, and every byte spared is one Cassandra does not log, flush, compress and compact again.
/// </summary>
public static class CassandraLanePartCodec
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

    /// <summary>The records of a stored part (none for an empty one, as erasure may leave).</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty)
        {
            return [];
        }

        if (stored[0] != ZstdFrame)
        {
            throw new FormatException($"Unknown lane part format {stored[0]}.");
        }

        var frame = stored[1..];
        var records = new byte[checked((int)Decompressor.GetDecompressedSize(frame))];
        var length = (_decompressor ??= new Decompressor()).Unwrap(frame, records);
        return length == records.Length ? records : throw new FormatException($"A lane part unpacked to {length} bytes, not the {records.Length} its frame names.");
    }
}
