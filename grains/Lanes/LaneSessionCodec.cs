using System.Buffers.Binary;
using System.Text;

namespace Analytics.Grains.Lanes;

/// <summary>
/// A lane slot as checkpoint bytes (<see cref="Abstractions.Lanes.StoredLaneSession.State"/>): fixed fields, then the
/// attribute strings (the lane's string codes are only valid in memory). Versioned by its first byte.
/// </summary>
internal static class LaneSessionCodec
{
    private const byte Version1 = 1;
    /// <summary>How many string codes a slot holds (<see cref="Codes"/>).</summary>
    public const int StringCount = 22;

    /// <summary>How many bytes <see cref="Write"/> writes for the slot (a batch's sessions share one array, sized by these).</summary>
    public static int SizeOf(in LaneSlot slot, LaneStrings strings, LaneAttributeSets sets)
    {
        Span<int> codes = stackalloc int[StringCount];
        Codes(slot, sets, codes);
        var size = 1 + 8 + 8 + 8 + 1 + 8 + 8 + 8 + 4 + 4 + 4 + 1 + (8 * LaneSlot.RememberedEvents) + 4;
        for (var i = 0; i < StringCount; i++)
        {
            size += 4 + (strings.Value(codes[i]) is { } text ? Encoding.UTF8.GetByteCount(text) : 0);
        }

        return size;
    }

    /// <summary>Writes the slot's bytes to <paramref name="span"/>, exactly <see cref="SizeOf"/> of them.</summary>
    public static void Write(in LaneSlot slot, LaneStrings strings, LaneAttributeSets sets, Span<byte> span)
    {
        Span<int> codes = stackalloc int[StringCount];
        Codes(slot, sets, codes);
        span[0] = Version1;
        var at = 1;
        Put(span, ref at, slot.Visitor);
        Put(span, ref at, (ulong)slot.LastTicks);
        Put(span, ref at, (ulong)slot.LastOffset);
        span[at++] = slot.HasSession ? (byte)1 : (byte)0;
        Put(span, ref at, slot.SessionId);
        Put(span, ref at, (ulong)slot.StartTicks);
        Put(span, ref at, (ulong)slot.EndTicks);
        Put(span, ref at, slot.Version);
        Put(span, ref at, slot.Pageviews);
        Put(span, ref at, slot.Events);
        span[at++] = slot.Interacted ? (byte)1 : (byte)0;
        for (var i = 0; i < LaneSlot.RememberedEvents; i++)
        {
            Put(span, ref at, slot.Recent[i]);
        }

        Put(span, ref at, slot.RecentNext);
        for (var i = 0; i < StringCount; i++)
        {
            if (strings.Value(codes[i]) is { } text)
            {
                var length = Encoding.UTF8.GetBytes(text, span[(at + 4)..]);
                Put(span, ref at, length);
                at += length;
            }
            else
            {
                Put(span, ref at, -1);
            }
        }

        if (at != span.Length)
        {
            throw new ArgumentException($"The slot takes {at} bytes, not the {span.Length} given.", nameof(span));
        }
    }

    public static LaneSlot Read(ReadOnlySpan<byte> span, LaneStrings strings, LaneAttributeSets sets)
    {
        if (span.IsEmpty || span[0] != Version1)
        {
            throw new FormatException($"Unknown lane session encoding {(span.IsEmpty ? "(empty)" : span[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        var at = 1;
        var slot = new LaneSlot
        {
            Visitor = U64(span, ref at),
            LastTicks = (long)U64(span, ref at),
            LastOffset = (long)U64(span, ref at),
            HasSession = span[at++] == 1,
            SessionId = U64(span, ref at),
            StartTicks = (long)U64(span, ref at),
            EndTicks = (long)U64(span, ref at),
            Version = I32(span, ref at),
            Pageviews = I32(span, ref at),
            Events = I32(span, ref at),
            Interacted = span[at++] == 1,
        };
        for (var i = 0; i < LaneSlot.RememberedEvents; i++)
        {
            slot.Recent[i] = U64(span, ref at);
        }

        slot.RecentNext = I32(span, ref at);
        Span<int> codes = stackalloc int[StringCount];
        for (var i = 0; i < StringCount; i++)
        {
            var length = I32(span, ref at);
            codes[i] = length < 0 ? 0 : strings.Code(Encoding.UTF8.GetString(span.Slice(at, length)));
            at += Math.Max(0, length);
        }

        SetCodes(ref slot, sets, codes);
        return slot;
    }

    /// <summary>The slot's string codes in a fixed order (the encoding's and <see cref="SetCodes"/>'), its attributes read from <paramref name="sets"/>.</summary>
    public static void Codes(in LaneSlot s, LaneAttributeSets sets, Span<int> codes)
    {
        codes[0] = s.Site;
        codes[1] = s.SenderSessionId;
        codes[2] = s.EntryPage;
        codes[3] = s.ExitPage;
        ref readonly var a = ref sets[s.Attributes];
        codes[4] = a.Hostname;
        codes[5] = a.Source;
        codes[6] = a.Referrer;
        codes[7] = a.Channel;
        codes[8] = a.UtmSource;
        codes[9] = a.UtmMedium;
        codes[10] = a.UtmCampaign;
        codes[11] = a.UtmContent;
        codes[12] = a.UtmTerm;
        codes[13] = a.Device;
        codes[14] = a.Browser;
        codes[15] = a.BrowserVersion;
        codes[16] = a.Os;
        codes[17] = a.OsVersion;
        codes[18] = a.Country;
        codes[19] = a.Region;
        codes[20] = a.City;
        codes[21] = a.Screen;
    }

    /// <summary>Sets the slot's string codes from <paramref name="codes"/> (in <see cref="Codes"/>' order), its attributes as a code of <paramref name="sets"/>.</summary>
    public static void SetCodes(ref LaneSlot s, LaneAttributeSets sets, ReadOnlySpan<int> codes)
    {
        s.Site = codes[0];
        s.SenderSessionId = codes[1];
        s.EntryPage = codes[2];
        s.ExitPage = codes[3];
        s.Attributes = sets.Code(new LaneAttributes(
            codes[4], codes[5], codes[6], codes[7], codes[8], codes[9], codes[10], codes[11], codes[12],
            codes[13], codes[14], codes[15], codes[16], codes[17], codes[18], codes[19], codes[20], codes[21]));
    }

    private static void Put(Span<byte> span, ref int at, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], value);
        at += 8;
    }

    private static void Put(Span<byte> span, ref int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], value);
        at += 4;
    }

    private static ulong U64(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(span[at..]);
        at += 8;
        return value;
    }

    private static int I32(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        return value;
    }
}
