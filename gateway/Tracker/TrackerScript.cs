using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using NUglify;

namespace Analytics.Gateway.Tracker;

/// <summary>
/// The tracker as served: tracker/script.js (embedded at build), plus the optional parts a variant names, minified with
/// NUglify once per process, with a pre-gzipped copy and a content hash for the ETag. Variants are Plausible's file
/// names (script.tagged-events.outbound-links.js …), so a site's existing tag keeps working with only the host changed.
/// </summary>
public sealed class TrackerScript
{
    private const string ResourcePrefix = "Analytics.Gateway.tracker.";

    /// <summary>Plausible's script extensions. Those not listed as optional parts are in the default script already
    /// (outbound links, file downloads, revenue, local, 404, compat) or read by it from its own file name (hash, manual).</summary>
    private static readonly HashSet<string> KnownExtensions = new(StringComparer.Ordinal)
    {
        "hash", "manual", "outbound-links", "file-downloads", "tagged-events", "form-submissions", "exclusions", "local",
        "pageview-props", "revenue", "compat", "404",
    };

    /// <summary>Extensions served as an extra part (tracker/{name}.js) of the default script, in this order.</summary>
    private static readonly string[] OptionalParts = ["exclusions", "pageview-props", "tagged-events", "form-submissions"];

    /// <summary>Where script.js takes its optional parts: inside its closure, so they can wrap its hook.</summary>
    private const string PartsMarker = "/* @parts */";

    private static readonly ConcurrentDictionary<string, TrackerScript> Variants = new(StringComparer.Ordinal);

    private TrackerScript(string minified)
    {
        Minified = minified;
        Bytes = Encoding.UTF8.GetBytes(minified);
        Gzipped = Gzip(Bytes);
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Bytes).AsSpan(0, 8)) + "\"";
    }

    public string Minified { get; }

    public byte[] Bytes { get; }

    public byte[] Gzipped { get; }

    public string ETag { get; }

    /// <summary>The script for a file name such as "script.js" or "script.hash.tagged-events.js"; null for any other name.</summary>
    public static TrackerScript? ForFile(string fileName)
    {
        if (!fileName.StartsWith("script.", StringComparison.Ordinal) || !fileName.EndsWith(".js", StringComparison.Ordinal))
        {
            return null;
        }

        // "script.a.b.js" → [a, b]; "script.js" → [].
        var extensions = fileName["script".Length..^".js".Length].Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (!extensions.All(KnownExtensions.Contains))
        {
            return null;
        }

        var parts = OptionalParts.Where(extensions.Contains).ToArray();
        return Variants.GetOrAdd(string.Join('.', parts), _ => Build(parts));
    }

    private static string ReadSource(string part = "script")
    {
        var name = ResourcePrefix + part + ".js";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The tracker source is not embedded as {name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Minify(string source)
    {
        var result = Uglify.Js(source);
        return result.HasErrors
            ? throw new InvalidOperationException("NUglify failed on the tracker: " + string.Join("; ", result.Errors))
            : result.Code;
    }

    private static TrackerScript Build(IEnumerable<string> parts) =>
        new(Minify(ReadSource().Replace(PartsMarker, string.Join('\n', parts.Select(ReadSource)), StringComparison.Ordinal)));

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
