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

    public static byte[] Write(in LaneSlot slot, LaneStrings strings)
    {
        Span<int> codes = stackalloc int[StringCount];
        Codes(slot, codes);
        var size = 1 + 8 + 8 + 8 + 1 + 8 + 8 + 8 + 4 + 4 + 4 + 1 + (8 * LaneSlot.RememberedEvents) + 4;
        for (var i = 0; i < StringCount; i++)
        {
            size += 4 + (strings.Value(codes[i]) is { } text ? Encoding.UTF8.GetByteCount(text) : 0);
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
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

        return bytes;
    }

    public static LaneSlot Read(ReadOnlySpan<byte> span, LaneStrings strings)
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

        SetCodes(ref slot, codes);
        return slot;
    }

    /// <summary>The slot's string codes in a fixed order (the encoding's and <see cref="SetCodes"/>').</summary>
    public static void Codes(in LaneSlot s, Span<int> codes)
    {
        codes[0] = s.Site;
        codes[1] = s.SenderSessionId;
        codes[2] = s.EntryPage;
        codes[3] = s.ExitPage;
        codes[4] = s.Hostname;
        codes[5] = s.Source;
        codes[6] = s.Referrer;
        codes[7] = s.Channel;
        codes[8] = s.UtmSource;
        codes[9] = s.UtmMedium;
        codes[10] = s.UtmCampaign;
        codes[11] = s.UtmContent;
        codes[12] = s.UtmTerm;
        codes[13] = s.Device;
        codes[14] = s.Browser;
        codes[15] = s.BrowserVersion;
        codes[16] = s.Os;
        codes[17] = s.OsVersion;
        codes[18] = s.Country;
        codes[19] = s.Region;
        codes[20] = s.City;
        codes[21] = s.Screen;
    }

    public static void SetCodes(ref LaneSlot s, ReadOnlySpan<int> codes)
    {
        s.Site = codes[0];
        s.SenderSessionId = codes[1];
        s.EntryPage = codes[2];
        s.ExitPage = codes[3];
        s.Hostname = codes[4];
        s.Source = codes[5];
        s.Referrer = codes[6];
        s.Channel = codes[7];
        s.UtmSource = codes[8];
        s.UtmMedium = codes[9];
        s.UtmCampaign = codes[10];
        s.UtmContent = codes[11];
        s.UtmTerm = codes[12];
        s.Device = codes[13];
        s.Browser = codes[14];
        s.BrowserVersion = codes[15];
        s.Os = codes[16];
        s.OsVersion = codes[17];
        s.Country = codes[18];
        s.Region = codes[19];
        s.City = codes[20];
        s.Screen = codes[21];
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
