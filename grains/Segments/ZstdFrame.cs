using System.Buffers.Binary;

namespace Analytics.Grains.Segments;

/// <summary>The header of a zstd frame (RFC 8878, section 3.1.1), read without decompressing it.</summary>
internal static class ZstdFrame
{
    private const uint Magic = 0xFD2FB528;

    /// <summary>
    /// The content size a frame declares, or null when its header leaves it out. Throws when the bytes do not begin
    /// with a zstd frame header.
    /// </summary>
    public static long? ContentSize(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 5 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            throw new InvalidDataException("A segment buffer is not a zstd frame.");
        }

        var descriptor = frame[4];
        var sizeFlag = descriptor >> 6;
        var singleSegment = (descriptor & 0x20) != 0;
        var offset = 5 + (singleSegment ? 0 : 1) + (descriptor & 3) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        var width = sizeFlag switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
        if (width == 0)
        {
            return null;
        }

        if (frame.Length < offset + width)
        {
            throw new InvalidDataException("A segment buffer's zstd frame header is cut short.");
        }

        var field = frame.Slice(offset, width);
        return width switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(field) + 256L,
            4 => BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(field),
        };
    }
}
