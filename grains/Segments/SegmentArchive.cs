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

    /// <param name="deferred">Where to leave the buffers' decompression for when a column is read (a segment's own
    /// read); without it, every buffer is filled here.</param>
    public static Dictionary<string, RecordBatch> Read(ReadOnlyMemory<byte> archive, DeferredBuffers? deferred = null)
    {
        using var input = MemoryMarshal.TryGetArray(archive, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(archive.ToArray(), writable: false);
        using var zip = new ZipArchive(input, ZipArchiveMode.Read);
        // Huge pages for the first stored-bytes' worth of the read's buffers, in the order Arrow allocates them: the events
        // table's message bodies, which the read fills, then its leading columns. The rest (the other tables, 3.9 times
        // the stored bytes decompressed on a busy site's day) on small pages, touched only for the columns a question
        // reads (DeferredBuffers): with all on huge pages (4 times the stored bytes), each column read faulted in the
        // 2 MiB around it, and a restarted silo's first question took 1.2-1.3 s against 0.8-1.0 (none at all: 0.83).
        using var arena = HugePageArena.TryCreate(archive.Length);
        var allocator = (MemoryAllocator?)arena ?? UninitializedArrowAllocator.Instance;
        var tables = new Dictionary<string, RecordBatch>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var reader = new ArrowStreamReader(stream, allocator, (ICompressionCodecFactory?)deferred ?? Codecs, leaveOpen: false);
            tables[entry.FullName] = reader.ReadNextRecordBatch()
                ?? throw new InvalidDataException($"Segment table {entry.FullName} holds no record batch.");
        }

        return tables;
    }
}
