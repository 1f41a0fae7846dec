using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace Analytics.Gateway.Api;

/// <summary>
/// JSON may escape half a surrogate pair ("\ud800"): well-formed JSON, but no Unicode string, so reading it throws deep in
/// a handler or a model binder (a 500). Every JSON body (and the tracker's text/plain beacons) is checked once here,
/// before any endpoint (including ones added later), and such a body gets a 400 problem; endpoints marked
/// <see cref="ValidatesOwnJson"/> answer it as their anchor documents.
/// </summary>
public static class JsonUnicodeCheck
{
    public const string InvalidStringDetail = "A string in the JSON body is not valid Unicode (an unpaired surrogate escape such as \\ud800).";

    public static IApplicationBuilder UseJsonUnicodeCheck(this IApplicationBuilder app) => app.Use((http, next) =>
        IsJsonLike(http.Request.ContentType) && http.Request.ContentLength != 0 && http.GetEndpoint()?.Metadata.GetMetadata<ValidatesOwnJson>() is null
            ? CheckThenNextAsync(http, next)
            : next(http));

    private static async Task CheckThenNextAsync(HttpContext http, RequestDelegate next)
    {
        http.Request.EnableBuffering();
        using (var body = new MemoryStream())
        {
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            http.Request.Body.Position = 0;
            if (!TryAsUtf8(body.GetBuffer().AsSpan(0, (int)body.Length), http.Request.ContentType, out var utf8))
            {
                await Results.Problem("The body's charset is not one this server reads; send UTF-8.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported charset").ExecuteAsync(http);
                return;
            }

            if (HasInvalidString(utf8))
            {
                await Results.Problem(InvalidStringDetail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON").ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }

    /// <summary>
    /// The body as the endpoints' JSON readers see it: decoded from the charset its content type names, which the framework's
    /// JSON binding honours (in UTF-16 an escape's bytes are not those searched for). False for a charset no reader here
    /// knows: such a body is refused here (415), whatever an endpoint would have made of it.
    /// </summary>
    public static bool TryAsUtf8(ReadOnlySpan<byte> body, string? contentType, out ReadOnlySpan<byte> utf8)
    {
        utf8 = body;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.Charset.Value is not { Length: > 0 } charset)
        {
            return true;
        }

        Encoding encoding;
        try
        {
            // Quoted as the framework passes it on: it knows no quoted name either.
            encoding = Encoding.GetEncoding(charset);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false;
        }

        if (encoding.CodePage != Encoding.UTF8.CodePage)
        {
            utf8 = Encoding.UTF8.GetBytes(encoding.GetString(body));
        }

        return true;
    }

    /// <summary>True when the body is JSON and one of its strings or property names escapes an unpaired surrogate.</summary>
    public static bool HasInvalidString(ReadOnlySpan<byte> utf8)
    {
        // Readers of a stream skip a byte order mark (the framework's JSON binding does), so the check must too.
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        // A surrogate can only be written as a \u escape (UTF-8 has no encoding for one), also in JSON held in a string:
        // a body without "\u" (nearly every beacon) has none, and is not read twice.
        if (utf8.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        // Invalid UTF-8 and malformed JSON are the endpoints' to answer, with their own messages.
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 1_000_000 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !Decodes(ref reader))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    private static bool Decodes(ref Utf8JsonReader reader)
    {
        try
        {
            var text = reader.GetString()!;
            // A string that itself holds JSON (the tracker's props "p" and revenue "$") is read again by the endpoint.
            return !text.Contains('\\', StringComparison.Ordinal) || !HasInvalidString(Encoding.UTF8.GetBytes(text));
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsJsonLike(string? contentType) =>
        contentType is not null
        && (contentType.Contains("json", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));
}
