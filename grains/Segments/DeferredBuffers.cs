using System.Buffers;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Analytics.Grains.Segments;

/// <summary>
/// The compressed buffers of one sealed segment, decompressed when a column is first read instead of when the segment
/// is: a question reads a few of a segment's ~45 columns, and after a restart the first question over a month
/// decompressed all of them and touched all the memory they fill (zstd and page faults were most of its second).
/// Handed to Arrow's reader as its codec factory: the reader allocates each buffer and asks its codec to fill it; this
/// checks the zstd frame's header against the buffer (so that a bad entry fails the read, not a later question), notes
/// the pair, and fills the buffer in <see cref="Fill(IArrowArray)"/>. The compressed bytes stay valid while noted.
/// </summary>
internal sealed class DeferredBuffers(ICompressionCodecFactory codecs) : ICompressionCodecFactory
{
    private readonly List<Pending> _pending = [];
    private readonly Lock _lock = new();
    private int _unfilled;

    /// <summary>Buffers noted and not filled yet.</summary>
    internal int Unfilled
    {
        get
        {
            lock (_lock)
            {
                return _unfilled;
            }
        }
    }

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType) => CreateCodec(compressionCodecType, null);

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType, int? compressionLevel) =>
        compressionCodecType == CompressionCodecType.Zstd
            ? new Recorder(this)
            : throw new NotSupportedException($"Segments use zstd, not {compressionCodecType}.");

    /// <summary>Fills every buffer <paramref name="array"/> reads (its children's and dictionary's too) not filled yet.</summary>
    public void Fill(IArrowArray array)
    {
        lock (_lock)
        {
            ICompressionCodec? codec = null;
            try
            {
                Fill(array.Data, ref codec);
            }
            finally
            {
                Done(codec);
            }
        }
    }

    /// <summary>Fills every buffer still pending: before a table is used whole (written again, say).</summary>
    public void FillAll()
    {
        lock (_lock)
        {
            ICompressionCodec? codec = null;
            try
            {
                for (var i = 0; i < _pending.Count; i++)
                {
                    Fill(i, ref codec);
                }
            }
            finally
            {
                Done(codec);
            }
        }
    }

    /// <summary>
    /// The bytes of <paramref name="buffer"/> decompressed into an array rented from <see cref="ArrayPool{T}.Shared"/>
    /// (the caller returns it), the buffer itself left to fill; null when it is not one pending note of its own (filled,
    /// empty, never deferred, or, never so as Arrow reads, part of a larger note): read it through its column then.
    /// </summary>
    public byte[]? RentUnfilled(ArrowBuffer buffer)
    {
        var span = buffer.Span;
        if (span.IsEmpty)
        {
            return null;
        }

        Pending? found = null;
        lock (_lock)
        {
            foreach (var pending in _pending)
            {
                if (!pending.Filled && pending.Destination.Span.Overlaps(span))
                {
                    found = pending.Destination.Length == span.Length ? pending : null;
                    break;
                }
            }
        }

        if (found is not { } note)
        {
            return null;
        }

        // Outside the lock: the destination is the caller's own, and the source stays valid (the note's memory holds it).
        var rented = ArrayPool<byte>.Shared.Rent(span.Length);
        try
        {
            using var codec = codecs.CreateCodec(CompressionCodecType.Zstd);
            Decompress(codec, note, rented.AsMemory(0, span.Length));
            return rented;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    private static void Decompress(ICompressionCodec codec, Pending pending, Memory<byte> destination)
    {
        var length = codec.Decompress(pending.Source, destination);
        if (length != destination.Length)
        {
            throw new InvalidDataException($"A segment buffer decompressed to {length} bytes, not the {destination.Length} its header gives.");
        }
    }

    private void Fill(ArrayData data, ref ICompressionCodec? codec)
    {
        if (_unfilled == 0)
        {
            return;
        }

        foreach (var buffer in data.Buffers)
        {
            var span = buffer.Span;
            if (span.IsEmpty)
            {
                continue;
            }

            for (var i = 0; i < _pending.Count; i++)
            {
                if (_pending[i].Destination.Span.Overlaps(span))
                {
                    Fill(i, ref codec);
                    break;
                }
            }
        }

        foreach (var child in data.Children ?? [])
        {
            Fill(child, ref codec);
        }

        if (data.Dictionary is { } dictionary)
        {
            Fill(dictionary, ref codec);
        }
    }

    private void Fill(int index, ref ICompressionCodec? codec)
    {
        var pending = _pending[index];
        if (pending.Filled)
        {
            return;
        }

        codec ??= codecs.CreateCodec(CompressionCodecType.Zstd);
        Decompress(codec, pending, pending.Destination);
        _pending[index] = pending with { Filled = true };
        _unfilled--;
    }

    /// <summary>Ends a fill: its codec goes, and once all is filled so do the notes (and the compressed bytes they hold).</summary>
    private void Done(ICompressionCodec? codec)
    {
        codec?.Dispose();
        if (_unfilled == 0)
        {
            _pending.Clear();
            _pending.TrimExcess();
        }
    }

    private void Defer(ReadOnlyMemory<byte> source, Memory<byte> destination)
    {
        if (ZstdFrame.ContentSize(source.Span) is { } size && size != destination.Length)
        {
            throw new InvalidDataException($"A segment buffer's zstd frame holds {size} bytes, not the {destination.Length} its header gives.");
        }

        lock (_lock)
        {
            _pending.Add(new Pending(source, destination, Filled: false));
            _unfilled++;
        }
    }

    private readonly record struct Pending(ReadOnlyMemory<byte> Source, Memory<byte> Destination, bool Filled);

    /// <summary>The codec Arrow's reader is given: notes each buffer to fill, at the length the reader allocated for it.</summary>
    private sealed class Recorder(DeferredBuffers owner) : ICompressionCodec
    {
        public int Decompress(ReadOnlyMemory<byte> source, Memory<byte> destination)
        {
            // An empty buffer (a column without nulls has no validity bytes) has nothing to fill.
            if (!destination.IsEmpty)
            {
                owner.Defer(source, destination);
            }

            return destination.Length;
        }

        public void Compress(ReadOnlyMemory<byte> source, Stream destination) =>
            throw new NotSupportedException("Deferred buffers only read.");

        public void Dispose()
        {
        }
    }
}
