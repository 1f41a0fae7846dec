using System.Net;
using System.Text;
using Analytics.Bench.Infra;

namespace Analytics.Bench.Tests;

/// <summary>The load generator's reading of an answer: where it ends, whatever piece of it has arrived.</summary>
public sealed class HttpAnswerTests
{
    private const string Sized = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";
    private const string Chunked = "HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;ext=1\r\n1}\n\r\n0\r\n\r\n";

    [Theory]
    [InlineData(Sized, HttpStatusCode.Accepted)]
    [InlineData(Chunked, HttpStatusCode.BadRequest)]
    [InlineData("HTTP/1.1 204 No Content\r\nServer: Kestrel\r\n\r\n", HttpStatusCode.NoContent)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n\r\n", HttpStatusCode.OK)]
    public void An_answer_ends_where_its_length_or_last_chunk_says_and_no_prefix_of_it_is_whole(string text, HttpStatusCode status)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        Assert.True(HttpAnswer.TryParse(bytes, out var answer));
        Assert.Equal(new HttpAnswer(status, bytes.Length, Close: false), answer);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(HttpAnswer.TryParse(bytes.AsSpan(0, cut), out _), $"whole after {cut} of {bytes.Length} bytes");
        }
    }

    [Fact]
    public void The_length_stops_before_what_follows_it_and_a_closing_server_is_noticed()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\nHTTP/1.1");

        Assert.True(HttpAnswer.TryParse(bytes, out var answer));
        Assert.Equal(new HttpAnswer(HttpStatusCode.TooManyRequests, bytes.Length - "HTTP/1.1".Length, Close: true), answer);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok")]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 2x2 Accepted\r\n\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nContent-Length: 2x\r\n\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFF\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n")]
    [InlineData("HTTP/1.1 202 Accepted\r\nContent-Length: 3000000000\r\n\r\n")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")]
    public void An_answer_that_cannot_be_delimited_is_refused(string text)
    {
        Assert.Throws<InvalidDataException>(() => HttpAnswer.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }
}
