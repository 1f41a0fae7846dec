using System.IO.Compression;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;

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
    /// <remarks>The tables read keep referencing <paramref name="archive"/>'s bytes (<see cref="ArchiveBodyAllocator"/>):
    /// they must not change.</remarks>
    public static Dictionary<string, RecordBatch> Read(ReadOnlyMemory<byte> archive, DeferredBuffers? deferred = null)
    {
        var bytes = MemoryMarshal.TryGetArray(archive, out var array) ? array : new ArraySegment<byte>(archive.ToArray());
        using var zip = new ZipArchive(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false), ZipArchiveMode.Read);
        var codecs = (ICompressionCodecFactory?)deferred ?? Codecs;
        var tables = new Dictionary<string, RecordBatch>(StringComparer.Ordinal);
        var next = 0;
        foreach (var entry in zip.Entries)
        {
            RecordBatch? batch;
            if (StoredZipEntry.Find(bytes, entry, next) is { } data)
            {
                using var stream = new MemoryStream(data.Array!, data.Offset, data.Count, writable: false, publiclyVisible: true);
                using var reader = new ArrowStreamReader(stream, new ArchiveBodyAllocator(stream, data, UninitializedArrowAllocator.Instance), codecs, leaveOpen: true);
                batch = reader.ReadNextRecordBatch();
                next = data.Offset - bytes.Offset + data.Count;
            }
            else
            {
                // Compressed by another tool that wrote the archive again: read through the entry's stream, a copy.
                using var reader = new ArrowStreamReader(entry.Open(), UninitializedArrowAllocator.Instance, codecs, leaveOpen: false);
                batch = reader.ReadNextRecordBatch();
            }

            tables[entry.FullName] = batch ?? throw new InvalidDataException($"Segment table {entry.FullName} holds no record batch.");
        }

        return tables;
    }
}
