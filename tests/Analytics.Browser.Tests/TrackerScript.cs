using System.IO.Compression;
using NUglify;

namespace Analytics.Browser.Tests;

/// <summary>The tracker as the gateway serves it: repo source, minified with NUglify.</summary>
public static class TrackerScript
{
    private static readonly Lazy<string> LazySource = new(() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "tracker", "script.js")));

    private static readonly Lazy<string> LazyMinified = new(() =>
    {
        var result = Uglify.Js(Source);
        if (result.HasErrors)
        {
            throw new InvalidOperationException("NUglify failed on tracker/script.js: " + string.Join("; ", result.Errors));
        }

        return result.Code;
    });

    public static string Source => LazySource.Value;

    public static string Minified => LazyMinified.Value;

    public static int GzippedSize(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes, 0, bytes.Length);
        }

        return (int)buffer.Length;
    }
}
