namespace Analytics.Grains.Segments;

/// <summary>The header of a zstd frame, read without decompressing it (zstd's own reader, through its C# port).</summary>
internal static class ZstdFrame
{
    /// <summary>ZSTD_getFrameContentSize's answers for a size the header leaves out and for no frame (zstd.h).</summary>
    private const ulong Unknown = ulong.MaxValue;
    private const ulong Error = ulong.MaxValue - 1;

    /// <summary>
    /// The content size a frame declares, or null when its header leaves it out. Throws when the bytes do not begin
    /// with a zstd frame header.
    /// </summary>
    public static unsafe long? ContentSize(ReadOnlySpan<byte> frame)
    {
        ulong size;
        fixed (byte* start = frame)
        {
            size = ZstdSharp.Unsafe.Methods.ZSTD_getFrameContentSize(start, (nuint)frame.Length);
        }

        return size switch
        {
            Unknown => null,
            Error => throw new InvalidDataException("A segment buffer is not a zstd frame."),
            _ => (long)size,
        };
    }
}
