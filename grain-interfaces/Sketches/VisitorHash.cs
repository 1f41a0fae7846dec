using System.IO.Hashing;
using System.Text;

namespace Analytics.GrainInterfaces.Sketches;

/// <summary>The 64-bit hash of a visitor that sketches count; stable across processes and versions.</summary>
public static class VisitorHash
{
    /// <summary>XxHash64 of the UTF-8 of "site|visitorId", encoded piece by piece (the '|' keeps the pieces' bytes apart).</summary>
    public static ulong Of(string site, string visitorId)
    {
        var max = Encoding.UTF8.GetMaxByteCount(site.Length + 1 + visitorId.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[512] : new byte[max];
        var length = Encoding.UTF8.GetBytes(site, buffer);
        buffer[length++] = (byte)'|';
        length += Encoding.UTF8.GetBytes(visitorId, buffer[length..]);
        return XxHash64.HashToUInt64(buffer[..length]);
    }
}
