using Apache.Arrow.Ipc;
using ZstdNet;
using ArrowCodecs = Apache.Arrow.Compression.CompressionCodecFactory;

namespace Analytics.Grains.Segments;

/// <summary>
/// Arrow's zstd buffers through the reference zstd library (ZstdNet's bundled libzstd) instead of Apache.Arrow.Compression's
/// C# port: a restarted silo's first question decompresses a site's month of segments while the port still runs as
/// unoptimized JIT output (2.4 times slower than once tiered up, and its large methods then queue for the JIT's
/// background thread), where native code is at full speed from the first call. Same frames: either reads the other's.
/// </summary>
internal sealed class NativeZstdCodecs : ICompressionCodecFactory
{
    public static readonly NativeZstdCodecs Instance = new();

    private NativeZstdCodecs()
    {
    }

    /// <summary>
    /// These codecs where ZstdNet ships a libzstd for the platform (Linux and macOS on x64, Windows), else Arrow's port
    /// (Linux and macOS on ARM).
    /// </summary>
    public static ICompressionCodecFactory Preferred { get; } = Choose(NativeLoads);

    internal static ICompressionCodecFactory Choose(Func<bool> nativeLoads) => nativeLoads() ? Instance : new ArrowCodecs();

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType) => CreateCodec(compressionCodecType, null);

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType, int? compressionLevel) =>
        compressionCodecType == CompressionCodecType.Zstd
            ? new NativeZstdCodec(compressionLevel)
            : throw new NotSupportedException($"Segments use zstd, not {compressionCodecType}.");

    private static bool NativeLoads()
    {
        try
        {
            using var probe = new Decompressor();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
