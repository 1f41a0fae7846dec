using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Analytics.Bench.Infra;

/// <summary>
/// One keep-alive HTTP/1.1 connection that posts a beacon and reads the whole answer before the next, as wrk does: the
/// request is written in one send from a reused buffer and only the status is kept. The load generator shares the
/// server's cores, so what it spends per beacon is taken from the server (HttpClient spent ~35 µs).
/// Every failure, connecting included, is an <see cref="HttpRequestException"/>, which the load loops count as failed.
/// </summary>
public sealed class BeaconConnection : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly byte[] _requestPrefix;
    private readonly CancellationTokenSource _timeout = new();
    private byte[] _request = new byte[4096];
    private byte[] _response = new byte[4096];

    private BeaconConnection(Socket socket, byte[] requestPrefix) => (_socket, _requestPrefix) = (socket, requestPrefix);

    /// <summary>False once the server said it closes the connection, or after a failure: the connection is not reused.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>The last post failed before any byte of an answer came back: the server may have closed it while idle.</summary>
    public bool FailedUnanswered { get; private set; }

    /// <summary>
    /// True when an idle connection can take a request: the server has not closed it (a server drops keep-alive
    /// connections idle for long, Kestrel after 130 s) and sent nothing unasked.
    /// </summary>
    public bool IdleAndOpen => Reusable && !_socket.Poll(0, SelectMode.SelectRead);

    public static async Task<BeaconConnection> OpenAsync(Uri target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(target.Host, target.Port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new HttpRequestException($"could not connect to {target}: {ex.Message}", ex);
        }

        var prefix = Encoding.ASCII.GetBytes($"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: text/plain\r\n");
        return new BeaconConnection(socket, prefix);
    }

    /// <summary>Posts the beacon and returns the answer's status code.</summary>
    public async Task<HttpStatusCode> PostAsync(LoadRunner.PreparedBeacon beacon)
    {
        var received = 0;
        try
        {
            _timeout.CancelAfter(Timeout);
            var length = WriteRequest(beacon);
            for (var sent = 0; sent < length;)
            {
                sent += await _socket.SendAsync(_request.AsMemory(sent, length - sent), SocketFlags.None, _timeout.Token);
            }

            while (true)
            {
                if (received == _response.Length)
                {
                    Array.Resize(ref _response, received < HttpAnswer.MaxBytes ? received * 2 : throw new InvalidDataException($"an answer of more than {HttpAnswer.MaxBytes} bytes"));
                }

                var read = await _socket.ReceiveAsync(_response.AsMemory(received), SocketFlags.None, _timeout.Token);
                if (read == 0)
                {
                    throw new IOException($"the server closed the connection after {received} bytes of an answer");
                }

                received += read;
                if (HttpAnswer.TryParse(_response.AsSpan(0, received), out var answer))
                {
                    if (answer.Length != received)
                    {
                        throw new InvalidDataException($"{received - answer.Length} bytes followed an answer to a request sent alone");
                    }

                    // A timer that fired as the answer came leaves the source cancelled: the connection goes.
                    Reusable &= !answer.Close && _timeout.TryReset();
                    return answer.Status;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            Reusable = false;
            FailedUnanswered = received == 0;
            throw new HttpRequestException($"beacon post failed: {ex.Message}", ex);
        }
    }

    private int WriteRequest(LoadRunner.PreparedBeacon beacon)
    {
        var headers = $"User-Agent: {beacon.UserAgent}\r\nX-Forwarded-For: {beacon.Ip}\r\nContent-Length: {beacon.Body.Length}\r\n\r\n";
        var needed = _requestPrefix.Length + Encoding.UTF8.GetMaxByteCount(headers.Length) + beacon.Body.Length;
        if (_request.Length < needed)
        {
            _request = new byte[needed];
        }

        _requestPrefix.CopyTo(_request, 0);
        var length = _requestPrefix.Length + Encoding.UTF8.GetBytes(headers, _request.AsSpan(_requestPrefix.Length));
        beacon.Body.CopyTo(_request, length);
        return length + beacon.Body.Length;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _timeout.Dispose();
    }
}
