using Apache.Arrow.Ipc;
using ZstdNet;

namespace Analytics.Grains.Segments;

/// <summary>One reader's or writer's zstd context (<see cref="NativeZstdCodecs"/>); not shared between threads.</summary>
internal sealed class NativeZstdCodec(int? level) : ICompressionCodec
{
    private Decompressor? _decompressor;
    private Compressor? _compressor;

    public int Decompress(ReadOnlyMemory<byte> source, Memory<byte> destination) =>
        (_decompressor ??= new Decompressor()).Unwrap(source.Span, destination.Span, bufferSizePrecheck: false);

    public void Compress(ReadOnlyMemory<byte> source, Stream destination)
    {
        _compressor ??= new Compressor(new CompressionOptions(level ?? CompressionOptions.DefaultCompressionLevel));
        destination.Write(_compressor.Wrap(source.Span));
    }

    public void Dispose()
    {
        _decompressor?.Dispose();
        _compressor?.Dispose();
    }
}
