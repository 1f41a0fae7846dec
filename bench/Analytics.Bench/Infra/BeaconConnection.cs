using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Analytics.Bench.Infra;

/// <summary>
/// One keep-alive HTTP/1.1 connection that posts a beacon and reads the whole answer before the next, as wrk does: the
/// request is written in one send from a reused buffer and only the status is kept. The load generator shares the
/// server's cores, so what it spends per beacon is taken from the server (HttpClient spent ~35 µs).
/// </summary>
public sealed class BeaconConnection : IDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly byte[] _requestPrefix;
    private readonly CancellationTokenSource _timeout = new();
    private byte[] _request = new byte[4096];
    private byte[] _response = new byte[4096];

    private BeaconConnection(Socket socket, byte[] requestPrefix) => (_socket, _requestPrefix) = (socket, requestPrefix);

    /// <summary>False once the server said it closes the connection, or after a failure: the connection is not reused.</summary>
    public bool Reusable { get; private set; } = true;

    public static async Task<BeaconConnection> OpenAsync(Uri target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.Host, target.Port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var prefix = Encoding.ASCII.GetBytes($"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: text/plain\r\n");
        return new BeaconConnection(socket, prefix);
    }

    /// <summary>Posts the beacon and returns the answer's status code; any failure is an <see cref="HttpRequestException"/>.</summary>
    public async Task<HttpStatusCode> PostAsync(LoadRunner.PreparedBeacon beacon)
    {
        try
        {
            _timeout.CancelAfter(AnswerTimeout);
            var length = WriteRequest(beacon);
            for (var sent = 0; sent < length;)
            {
                sent += await _socket.SendAsync(_request.AsMemory(sent, length - sent), SocketFlags.None, _timeout.Token);
            }

            var status = await ReadAnswerAsync(_timeout.Token);
            if (!_timeout.TryReset())
            {
                Reusable = false;
            }

            return status;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            Reusable = false;
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

    private async Task<HttpStatusCode> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            if (filled == _response.Length)
            {
                Array.Resize(ref _response, _response.Length * 2);
            }

            var read = await _socket.ReceiveAsync(_response.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"the server closed the connection after {filled} bytes of an answer");
            }

            filled += read;
            if (HttpAnswer.TryParse(_response.AsSpan(0, filled), out var answer))
            {
                if (answer.Length != filled)
                {
                    throw new InvalidDataException($"{filled - answer.Length} bytes followed an answer to a request sent alone");
                }

                Reusable &= !answer.Close;
                return answer.Status;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _timeout.Dispose();
    }
}
