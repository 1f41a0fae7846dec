using System.IO.Compression;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;

namespace Analytics.Grains.Segments;

/// <summary>
/// The at-rest container of a sealed segment: a zip archive of uncompressed ("stored") entries, one standard Arrow IPC
/// stream per table (events.arrows, sessions.arrows, props.arrows, producers.arrows), each with zstd-compressed buffers.
/// Any zip tool lists it; pyarrow reads an entry with <c>pa.ipc.open_stream(zipfile.ZipFile(p).read("events.arrows"))</c>.
/// </summary>
internal static class SegmentArchive
{
    public const string Events = "events.arrows";
    public const string Sessions = "sessions.arrows";
    public const string Props = "props.arrows";
    public const string Producers = "producers.arrows";

    /// <summary>
    /// What reading takes at least per stored byte: Arrow's reader copies each message body (about the stored bytes) and
    /// keeps it with the batch, then decompresses its buffers (3.9 times the stored bytes on a busy site's day). The part
    /// of a read sure to be filled, which <see cref="HugePageArena"/> backs with huge pages.
    /// </summary>
    private const int LeastDecodedPerStoredByte = 4;

    private static readonly ICompressionCodecFactory Codecs = NativeZstdCodecs.Preferred;

    /// <param name="codecs">This platform's preferred zstd (<see cref="NativeZstdCodecs.Preferred"/>) unless given: a
    /// test seals through Arrow's port as segments were sealed before the native codec.</param>
    public static byte[] Write(IEnumerable<(string Name, RecordBatch Batch)> tables, ICompressionCodecFactory? codecs = null)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var options = new IpcOptions { CompressionCodec = CompressionCodecType.Zstd, CompressionCodecFactory = codecs ?? Codecs };
            foreach (var (name, batch) in tables)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                using var writer = new ArrowStreamWriter(entry, batch.Schema, leaveOpen: true, options);
                writer.WriteRecordBatch(batch);
                writer.WriteEnd();
            }
        }

        return output.ToArray();
    }

    public static Dictionary<string, RecordBatch> Read(ReadOnlyMemory<byte> archive)
    {
        using var input = MemoryMarshal.TryGetArray(archive, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(archive.ToArray(), writable: false);
        using var zip = new ZipArchive(input, ZipArchiveMode.Read);
        using var arena = HugePageArena.TryCreate((long)archive.Length * LeastDecodedPerStoredByte);
        var allocator = (MemoryAllocator?)arena ?? UninitializedArrowAllocator.Instance;
        var tables = new Dictionary<string, RecordBatch>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var reader = new ArrowStreamReader(stream, allocator, Codecs, leaveOpen: false);
            tables[entry.FullName] = reader.ReadNextRecordBatch()
                ?? throw new InvalidDataException($"Segment table {entry.FullName} holds no record batch.");
        }

        return tables;
    }
}
