using System.IO.Hashing;
using System.Text;

namespace Analytics.GrainInterfaces.Events;

/// <summary>
/// Interns strings by their UTF-8 bytes: a value seen before comes back as the same string, found by one hash and one
/// byte comparison, without decoding. Lock-free and bounded: a fixed table of immutable entries, two slots per hash; a
/// newcomer displaces the older of the two, so high-cardinality values cannot grow it, and a hot value displaced is
/// simply made again. (CommunityToolkit's <c>StringPool</c> did the same job at ~3× the cost in the drain's profile: it
/// decodes to chars before hashing, and locks a bucket and keeps a priority per lookup.)
/// </summary>
internal sealed class Utf8StringPool
{
    /// <summary>The event envelopes' readers' pool (both forms): the log's attribute values.</summary>
    public static readonly Utf8StringPool Shared = new(16384, 256);

    private readonly Entry?[] _slots;
    private readonly int _mask;
    private readonly int _maxBytes;
    private long _clock;

    /// <param name="slots">Table size, a power of two.</param>
    /// <param name="maxBytes">Longer values are decoded each time, not kept.</param>
    public Utf8StringPool(int slots, int maxBytes)
    {
        if (slots < 2 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "A power of two of at least 2.");
        }

        _slots = new Entry?[slots];
        _mask = slots - 2;
        _maxBytes = maxBytes;
    }

    public string GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var i = (int)XxHash3.HashToUInt64(utf8) & _mask;
        var a = Volatile.Read(ref _slots[i]);
        if (a is not null && utf8.SequenceEqual(a.Utf8))
        {
            return a.Value;
        }

        var b = Volatile.Read(ref _slots[i + 1]);
        if (b is not null && utf8.SequenceEqual(b.Utf8))
        {
            return b.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        // The older of the pair goes; a lost race between two writers only costs one of them its entry.
        var slot = a is null ? i : b is null ? i + 1 : a.Stamp <= b.Stamp ? i : i + 1;
        Volatile.Write(ref _slots[slot], new Entry(utf8.ToArray(), value, Interlocked.Increment(ref _clock)));
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value, long Stamp);
}
