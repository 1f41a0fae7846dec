using System.Collections.Concurrent;
using System.Net.Sockets;
using Analytics.Cql.Errors;
using Analytics.Cql.Protocol;

namespace Analytics.Cql;

/// <summary>
/// One TCP connection speaking protocol v3. Requests are multiplexed by stream id: each in-flight request
/// owns an id and a pending completion until its response arrives on the reader loop.
/// </summary>
internal sealed class CqlConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ConcurrentDictionary<short, TaskCompletionSource<CqlFrame>> _pending = new();
    private readonly ConcurrentStack<short> _freeStreams = new();
    private readonly SemaphoreSlim _streamSlots;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _readLoop;
    private Exception? _failure;

    private CqlConnection(Socket socket, CqlEndpoint endpoint, int maxRequests)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Endpoint = endpoint;
        _streamSlots = new SemaphoreSlim(maxRequests, maxRequests);
        for (var id = (short)(maxRequests - 1); id >= 0; id--)
        {
            _freeStreams.Push(id);
        }
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public CqlEndpoint Endpoint { get; }

    public bool IsOpen => _failure is null;

    /// <summary>Connects, performs STARTUP (expects READY) and switches to the keyspace, if any.</summary>
    public static async Task<CqlConnection> OpenAsync(CqlEndpoint endpoint, CassandraClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new CqlConnectionException($"Cannot connect to {endpoint}: {e.Message}", maybeSent: false, e);
            }
        }
        var connection = new CqlConnection(socket, endpoint, options.MaxRequestsPerConnection);
        try
        {
            var ready = await connection.SendAsync(CqlRequest.Startup(), options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            if (ready.Header.Opcode != CqlOpcode.Ready)
            {
                throw new CqlAuthenticationException($"{endpoint} answered STARTUP with {ready.Header.Opcode}; authentication is not supported by this client.");
            }
            if (options.Keyspace is { } keyspace)
            {
                var parameters = new CqlQueryParameters(CqlConsistency.One, 0, null, null);
                await connection.SendAsync(CqlRequest.Query($"USE \"{keyspace}\"", [], parameters), options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends one request and awaits its response frame; an ERROR response is thrown as its typed exception.
    /// On timeout the stream id stays reserved until the late response arrives, so it is never confused
    /// with a later request's answer.
    /// </summary>
    public async Task<CqlFrame> SendAsync(CqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        if (!_streamSlots.Wait(0))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            try
            {
                if (!await _streamSlots.WaitAsync(timeout, linked.Token).ConfigureAwait(false))
                {
                    throw new CqlConnectionException($"No free stream id on {Endpoint} within {timeout}.", maybeSent: false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfClosed();
                throw;
            }
        }
        _freeStreams.TryPop(out var stream);
        var completion = new TaskCompletionSource<CqlFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[stream] = completion;

        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ReleaseStream(stream);
            throw;
        }
        try
        {
            ThrowIfClosed();
            // Not cancellable: a half-written frame would corrupt the stream for every other request.
            await _stream.WriteAsync(request.Body.Complete(stream, request.Opcode), CancellationToken.None).ConfigureAwait(false);
        }
        catch (CqlConnectionException)
        {
            ReleaseStream(stream);
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail(e);
            throw new CqlConnectionException($"Sending to {Endpoint} failed: {e.Message}", maybeSent: true, e);
        }
        finally
        {
            _writeLock.Release();
        }

        CqlFrame frame;
        try
        {
            frame = await completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CqlClientTimeoutException($"No response from {Endpoint} within {timeout} ({request.Opcode}).");
        }
        if (frame.Header.Opcode == CqlOpcode.Error)
        {
            throw CqlErrorParser.Parse(frame.Body);
        }
        return frame;
    }

    /// <summary>Drops the socket without a goodbye, as a network failure would; for failure handling and tests.</summary>
    internal void Abort() => Fail(new IOException("Connection aborted."));

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(CqlConnection)));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The loop ends by failing; nothing to report on close.
        }
    }

    private async Task ReadLoopAsync()
    {
        var headerBytes = new byte[CqlFrameHeader.Size];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(headerBytes, _closed.Token).ConfigureAwait(false);
                var header = CqlFrameHeader.Parse(headerBytes);
                var body = new byte[header.BodyLength];
                await _stream.ReadExactlyAsync(body, _closed.Token).ConfigureAwait(false);
                if ((header.Flags & CqlFrameHeader.TracingFlag) != 0)
                {
                    // A traced response starts with the 16-byte tracing session id.
                    body = body[16..];
                }
                // Negative stream ids carry server events, which this client does not register for.
                if (header.Stream >= 0 && _pending.TryRemove(header.Stream, out var completion))
                {
                    ReturnStream(header.Stream);
                    completion.TrySetResult(new CqlFrame(header, body));
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Fail(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _failure, cause, null) is not null)
        {
            return;
        }
        _closed.Cancel();
        _socket.Dispose();
        foreach (var (stream, completion) in _pending)
        {
            if (_pending.TryRemove(stream, out _))
            {
                completion.TrySetException(new CqlConnectionException($"Connection to {Endpoint} lost: {cause.Message}", maybeSent: true, cause));
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (_failure is { } failure)
        {
            throw new CqlConnectionException($"Connection to {Endpoint} is closed: {failure.Message}", maybeSent: false, failure);
        }
    }

    private void ReleaseStream(short stream)
    {
        if (_pending.TryRemove(stream, out _))
        {
            ReturnStream(stream);
        }
    }

    private void ReturnStream(short stream)
    {
        _freeStreams.Push(stream);
        _streamSlots.Release();
    }
}
