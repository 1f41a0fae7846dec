namespace Analytics.Gateway.Export;

/// <summary>
/// A response body as Parquet.Net's writer wants its output: it asks for the position (to record where each column
/// chunk starts) and declares it needs a seekable stream, but a Parquet file is written front to back. The position is
/// the count of bytes written; a seek is allowed only to where the stream already is. The response body allows no
/// synchronous I/O, so synchronous writes and flushes wait in memory for the next asynchronous write or flush.
/// </summary>
internal sealed class AppendOnlyStream(Stream inner) : Stream
{
    private readonly MemoryStream _pending = new();
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override void Flush()
    {
        // Nothing to do now: what waits goes out with the next asynchronous write or flush.
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _written + offset,
            _ => _written + offset,
        };
        return target == _written ? _written : throw new NotSupportedException("The export stream only appends.");
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _pending.Write(buffer, offset, count);
        _written += count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
        _pending.SetLength(0);
    }
}
