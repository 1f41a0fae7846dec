using System.IO.Hashing;
using System.Text;

namespace Analytics.GrainInterfaces.Sketches;

/// <summary>The 64-bit hash of a visitor that sketches count; stable across processes and versions.</summary>
public static class VisitorHash
{
    public static ulong Of(string site, string visitorId)
    {
        Span<byte> buffer = stackalloc byte[512];
        var text = string.Concat(site, "|", visitorId);
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        return XxHash64.HashToUInt64(bytes);
    }
}
