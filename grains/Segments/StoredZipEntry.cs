using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Analytics.Grains.Segments;

/// <summary>
/// Where a zip entry stored without compression lies in its archive's bytes, from the entry's local header (zip's
/// APPNOTE 4.3.7: a 30-byte header, the name, an extra field, then the data). <see cref="ZipArchiveEntry"/> reads a
/// stored entry through a stream, which the IPC reader would copy again; a slice of the archive needs no copy.
/// </summary>
internal static class StoredZipEntry
{
    private const int HeaderBytes = 30;

    /// <summary>
    /// The data of <paramref name="entry"/> in <paramref name="archive"/>: its header is looked for from where the
    /// previous entry's data ended (<paramref name="from"/>; a data descriptor may lie between), then from the start
    /// (entries out of order). Null when the entry is compressed or its header is not found (then it is read through
    /// its stream).
    /// </summary>
    public static ArraySegment<byte>? Find(ArraySegment<byte> archive, ZipArchiveEntry entry, int from)
    {
        if (entry.CompressedLength != entry.Length)
        {
            return null;
        }

        var name = Encoding.UTF8.GetBytes(entry.FullName);
        return (Search(archive, from, name, entry.Length) ?? Search(archive, 0, name, entry.Length)) is { } data
            ? archive.Slice(data, (int)entry.Length)
            : (ArraySegment<byte>?)null;
    }

    /// <summary>Where the data of the first stored entry named <paramref name="name"/> whose header is at or after <paramref name="from"/> starts.</summary>
    private static int? Search(ReadOnlySpan<byte> bytes, int from, byte[] name, long length)
    {
        // A local header's signature, 0x04034b50 little-endian.
        ReadOnlySpan<byte> signature = [0x50, 0x4b, 0x03, 0x04];
        for (var at = from; at <= bytes.Length - HeaderBytes && bytes[at..].IndexOf(signature) is var found and >= 0; at++)
        {
            at += found;
            if (at > bytes.Length - HeaderBytes)
            {
                return null;
            }

            // The signature found; then a stored entry (method 0) of this name whose data fits.
            var header = bytes[at..];
            if (BinaryPrimitives.ReadUInt16LittleEndian(header[8..]) == 0
                && BinaryPrimitives.ReadUInt16LittleEndian(header[26..]) == name.Length
                && header[HeaderBytes..].StartsWith(name)
                && at + HeaderBytes + name.Length + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]) is var data
                && data + length <= bytes.Length)
            {
                return data;
            }
        }

        return null;
    }
}
