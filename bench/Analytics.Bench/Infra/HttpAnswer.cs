using System.Buffers.Text;
using System.Net;
using System.Text;

namespace Analytics.Bench.Infra;

/// <summary>An HTTP/1.1 answer's status, its length in bytes (head and body) and whether the server closes after it.</summary>
public readonly record struct HttpAnswer(HttpStatusCode Status, int Length, bool Close)
{
    /// <summary>Longer answers are refused: a beacon's answer is a few bytes, a problem a few hundred.</summary>
    public const int MaxBytes = 1 << 20;

    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    /// <summary>
    /// False while <paramref name="received"/> holds less than a whole answer. The body is delimited by Content-Length
    /// or chunked encoding; an answer with neither must have no body (a server that delimits by closing is refused).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> received, out HttpAnswer answer)
    {
        answer = default;
        var headEnd = received.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }

        var head = received[..headEnd];
        var statusLineEnd = head.IndexOf(LineEnd);
        var statusLine = statusLineEnd < 0 ? head : head[..statusLineEnd];
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine.Length < 12 || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var digits) || digits != 3)
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: {Encoding.ASCII.GetString(statusLine)}");
        }

        // An interim answer answers an Expect header, which is never sent: one would leave the final answer unread.
        if (status < 200)
        {
            throw new InvalidDataException($"an interim {status} answer");
        }

        int? contentLength = null;
        bool chunked = false, close = false;
        var headers = statusLineEnd < 0 ? [] : head[(statusLineEnd + 2)..];
        while (!headers.IsEmpty)
        {
            var end = headers.IndexOf(LineEnd);
            var line = end < 0 ? headers : headers[..end];
            headers = end < 0 ? [] : headers[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                contentLength = Utf8Parser.TryParse(value, out int n, out var used) && used == value.Length && n is >= 0 and <= MaxBytes
                    ? n
                    : throw new InvalidDataException($"Content-Length: {Encoding.ASCII.GetString(value)}");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        var bodyStart = headEnd + 4;
        int length;
        if (chunked)
        {
            if (ChunkedLength(received[bodyStart..]) is not { } bodyLength)
            {
                return false;
            }

            length = bodyStart + bodyLength;
        }
        else if (contentLength is { } n)
        {
            if (received.Length - bodyStart < n)
            {
                return false;
            }

            length = bodyStart + n;
        }
        else if (status is 204 or 304)
        {
            length = bodyStart;
        }
        else
        {
            throw new InvalidDataException($"a {status} answer without Content-Length or chunked encoding");
        }

        answer = new HttpAnswer((HttpStatusCode)status, length, close);
        return true;
    }

    /// <summary>The bytes of a whole chunked body (its last chunk and trailers included), or null while it is incomplete.</summary>
    private static int? ChunkedLength(ReadOnlySpan<byte> body)
    {
        var at = 0;
        while (true)
        {
            var sizeEnd = body[at..].IndexOf(LineEnd);
            if (sizeEnd < 0)
            {
                return null;
            }

            var sizeText = body.Slice(at, sizeEnd);
            if (sizeText.IndexOf((byte)';') is var extension and >= 0)
            {
                sizeText = sizeText[..extension];
            }

            sizeText = sizeText.Trim((byte)' ');
            if (!Utf8Parser.TryParse(sizeText, out int size, out var used, 'x') || used != sizeText.Length || size is < 0 or > MaxBytes)
            {
                throw new InvalidDataException($"chunk size: {Encoding.ASCII.GetString(sizeText)}");
            }

            at += sizeEnd + 2;
            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                var trailersEnd = body[at..].StartsWith(LineEnd) ? 0 : body[at..].IndexOf("\r\n\r\n"u8) is var t and >= 0 ? t + 2 : -1;
                return trailersEnd < 0 ? null : at + trailersEnd + 2;
            }

            if (body.Length - at < size + 2)
            {
                return null;
            }

            at += size + 2;
        }
    }
}
