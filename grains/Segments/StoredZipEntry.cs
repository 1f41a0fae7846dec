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
    private const uint LocalHeader = 0x04034b50;
    private const int HeaderBytes = 30;

    /// <summary>
    /// The data of <paramref name="entry"/> in <paramref name="archive"/>: its header is looked for where the previous
    /// entry's data ended (<paramref name="from"/>; a data descriptor may lie between), then anywhere (entries out of
    /// order). Null when the entry is compressed or its header is not found (then it is read through its stream).
    /// </summary>
    public static ArraySegment<byte>? Find(ArraySegment<byte> archive, ZipArchiveEntry entry, int from)
    {
        if (entry.CompressedLength != entry.Length)
        {
            return null;
        }

        var bytes = archive.AsSpan();
        var name = Encoding.UTF8.GetBytes(entry.FullName);
        // A data descriptor is at most 24 bytes (signature, CRC, two 8-byte sizes).
        for (var at = from; at <= Math.Min(from + 24, bytes.Length - HeaderBytes); at++)
        {
            if (DataOf(bytes, at, name, entry.Length) is { } data)
            {
                return archive.Slice(data, (int)entry.Length);
            }
        }

        ReadOnlySpan<byte> signature = [0x50, 0x4b, 0x03, 0x04];
        for (var at = 0; bytes[at..].IndexOf(signature) is var found and >= 0; at++)
        {
            at += found;
            if (DataOf(bytes, at, name, entry.Length) is { } data)
            {
                return archive.Slice(data, (int)entry.Length);
            }
        }

        return null;
    }

    /// <summary>Where the data starts, when a local header of a stored entry named <paramref name="name"/> is at <paramref name="at"/>.</summary>
    private static int? DataOf(ReadOnlySpan<byte> bytes, int at, byte[] name, long length)
    {
        if (at < 0 || at > bytes.Length - HeaderBytes)
        {
            return null;
        }

        var header = bytes[at..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeader
            || BinaryPrimitives.ReadUInt16LittleEndian(header[8..]) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(header[26..]) != name.Length
            || !header[HeaderBytes..].StartsWith(name))
        {
            return null;
        }

        var data = at + HeaderBytes + name.Length + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        return data + length <= bytes.Length ? data : null;
    }
}
