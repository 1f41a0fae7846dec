using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using NUglify;

namespace Analytics.Gateway.Tracker;

/// <summary>
/// The tracker as served: tracker/script.js (embedded at build), minified with NUglify once per process, with a
/// pre-gzipped copy and a content hash for the ETag.
/// </summary>
public sealed class TrackerScript
{
    private const string ResourceName = "Analytics.Gateway.tracker.js";

    private TrackerScript(string minified)
    {
        Minified = minified;
        Bytes = Encoding.UTF8.GetBytes(minified);
        Gzipped = Gzip(Bytes);
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Bytes).AsSpan(0, 8)) + "\"";
    }

    public static TrackerScript Instance { get; } = new(Minify(ReadSource()));

    public string Minified { get; }

    public byte[] Bytes { get; }

    public byte[] Gzipped { get; }

    public string ETag { get; }

    public static string ReadSource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The tracker source is not embedded as {ResourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string Minify(string source)
    {
        var result = Uglify.Js(source);
        return result.HasErrors
            ? throw new InvalidOperationException("NUglify failed on tracker/script.js: " + string.Join("; ", result.Errors))
            : result.Code;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }
}
