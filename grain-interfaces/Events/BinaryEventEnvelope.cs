using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Analytics.GrainInterfaces.Events;

/// <summary>
/// The embedded event log's row form of an envelope: what the JSON says, without its names, quotes and texts of ids and
/// times. Every event of a backlog is read back once by its lane; reading the JSON was a tenth of the grid drain's CPU,
/// and a JSON row is about 2.3 times the size. A row starts with <see cref="Format"/>, which no JSON text starts with, so a
/// log holding rows of earlier builds (JSON) is read row by row in either form (<see cref="EventEnvelope.FromBytes"/>).
/// Layout after that byte: flags; the event id (16 bytes) and, when it differs, the envelope's; the receipt and the
/// event time (<see cref="DateTime.ToBinary"/>, 8 bytes each); the engaged milliseconds (zigzag varint); the strings in
/// <see cref="TrackedEvent"/>'s order, each a varint of its UTF-8 length plus one (0 for null) and its bytes; then,
/// as the flags say, the props (a count and its pairs), the revenue amount (<see cref="decimal.GetBits(decimal)"/>)
/// and the scroll depth (zigzag varint). Strings repeated across events come from the same pool as the JSON reader's.
/// A null required string is kept, as the JSON reader keeps one written as null. A change of layout takes a new
/// <see cref="Format"/>; <c>BinaryEventEnvelopeTests</c> pins this one's bytes.
/// </summary>
public static class BinaryEventEnvelope
{
    /// <summary>The first byte of every row of this layout; a new layout takes the next value.</summary>
    public const byte Format = 1;

    // The fixed part: format, flags, two ids (the envelope's only when it differs), two times.
    private const int FixedBytes = 2 + 16 + 16 + 8 + 8;

    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.Length > 0 && bytes[0] == Format;

    public static byte[] ToBytes(EventEnvelope envelope)
    {
        var output = new ArrayBufferWriter<byte>(512);
        Write(envelope, output);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(EventEnvelope envelope, IBufferWriter<byte> output)
    {
        var e = envelope.Event;
        var flags = (envelope.Id != e.Id ? Flags.EnvelopeId : 0)
            | (e.Interactive ? 0 : Flags.NotInteractive)
            | (e.Props is null ? 0 : Flags.Props)
            | (e.RevenueAmount is null ? 0 : Flags.RevenueAmount)
            | (e.ScrollDepth is null ? 0 : Flags.ScrollDepth);
        // Each piece asks the writer for room of its own: no bound over the whole event to keep in step with its fields.
        var span = output.GetSpan(FixedBytes);
        span[0] = Format;
        span[1] = (byte)flags;
        var at = 2;
        e.Id.TryWriteBytes(span[at..]);
        at += 16;
        if ((flags & Flags.EnvelopeId) != 0)
        {
            envelope.Id.TryWriteBytes(span[at..]);
            at += 16;
        }

        BinaryPrimitives.WriteInt64LittleEndian(span[at..], envelope.ReceivedAt.ToBinary());
        BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], e.Timestamp.ToBinary());
        output.Advance(at + 16);
        WriteVarint(output, ZigZag(e.EngagementMs));
        WriteString(output, e.Site);
        WriteString(output, e.VisitorId);
        WriteString(output, e.Timezone);
        WriteString(output, e.Name);
        WriteString(output, e.Hostname);
        WriteString(output, e.Pathname);
        WriteString(output, e.Referrer);
        WriteString(output, e.Source);
        WriteString(output, e.UtmSource);
        WriteString(output, e.UtmMedium);
        WriteString(output, e.UtmCampaign);
        WriteString(output, e.Country);
        WriteString(output, e.Device);
        WriteString(output, e.Browser);
        WriteString(output, e.BrowserVersion);
        WriteString(output, e.Os);
        WriteString(output, e.OsVersion);
        WriteString(output, e.ScreenSize);
        WriteString(output, e.RevenueCurrency);
        WriteString(output, e.SessionId);
        WriteString(output, e.UtmContent);
        WriteString(output, e.UtmTerm);
        WriteString(output, e.Region);
        WriteString(output, e.City);
        if (e.Props is { } props)
        {
            WriteVarint(output, (ulong)props.Count);
            foreach (var (key, value) in props)
            {
                WriteString(output, key);
                WriteString(output, value);
            }
        }

        if (e.RevenueAmount is { } amount)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(amount, bits);
            var bytes = output.GetSpan(16);
            for (var i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * 4)..], bits[i]);
            }

            output.Advance(16);
        }

        if (e.ScrollDepth is { } depth)
        {
            WriteVarint(output, ZigZag(depth));
        }
    }

    /// <summary>Reads a row of this layout; a truncated or overlong one is an <see cref="InvalidDataException"/>.</summary>
    public static EventEnvelope Read(ReadOnlySpan<byte> bytes)
    {
        if (!IsBinary(bytes))
        {
            throw new InvalidDataException($"An event envelope row of layout {Format} starts with {Format}, not {(bytes.IsEmpty ? "nothing" : bytes[0])}.");
        }

        try
        {
            var reader = new Reader(bytes);
            reader.Skip(1);
            var flags = (Flags)reader.Byte();
            if ((flags & ~Flags.All) != 0)
            {
                throw new ArgumentException($"Unknown flags {(byte)flags:x2}.");
            }

            var id = reader.Id();
            var envelopeId = (flags & Flags.EnvelopeId) != 0 ? reader.Id() : id;
            var receivedAt = DateTime.FromBinary(reader.Int64());
            var timestamp = DateTime.FromBinary(reader.Int64());
            var engagementMs = UnZigZag(reader.Varint());
            var e = new TrackedEvent
            {
                Id = id,
                Timestamp = timestamp,
                EngagementMs = engagementMs,
                Interactive = (flags & Flags.NotInteractive) == 0,
                Site = reader.Pooled()!,
                VisitorId = reader.String()!,
                Timezone = reader.Pooled()!,
                Name = reader.Pooled()!,
                Hostname = reader.Pooled()!,
                Pathname = reader.Pooled()!,
                Referrer = reader.String(),
                Source = reader.Pooled()!,
                UtmSource = reader.Pooled(),
                UtmMedium = reader.Pooled(),
                UtmCampaign = reader.Pooled(),
                Country = reader.Pooled()!,
                Device = reader.Pooled()!,
                Browser = reader.Pooled()!,
                BrowserVersion = reader.Pooled()!,
                Os = reader.Pooled()!,
                OsVersion = reader.Pooled()!,
                ScreenSize = reader.Pooled(),
                RevenueCurrency = reader.Pooled(),
                SessionId = reader.String(),
                UtmContent = reader.Pooled(),
                UtmTerm = reader.Pooled(),
                Region = reader.Pooled(),
                City = reader.Pooled(),
                Props = (flags & Flags.Props) != 0 ? reader.Props() : null,
                RevenueAmount = (flags & Flags.RevenueAmount) != 0 ? reader.Decimal() : null,
                ScrollDepth = (flags & Flags.ScrollDepth) != 0 ? checked((int)UnZigZag(reader.Varint())) : null,
            };
            reader.End();
            return new EventEnvelope { Id = envelopeId, ReceivedAt = receivedAt, Event = e };
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"The event envelope row is malformed: {ex.Message}", ex);
        }
    }

    private static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            output.GetSpan(1)[0] = 0;
            output.Advance(1);
            return;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = output.GetSpan(maxBytes + 5);
        // Short texts (all of an event's but a long page or referrer) fit a one-byte length at most: encode in place.
        if (maxBytes < 127)
        {
            var written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)(written + 1);
            output.Advance(written + 1);
            return;
        }

        var length = WriteVarint(span, (ulong)Encoding.UTF8.GetByteCount(value) + 1);
        output.Advance(length + Encoding.UTF8.GetBytes(value, span[length..]));
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value) => output.Advance(WriteVarint(output.GetSpan(10), value));

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    [Flags]
    private enum Flags : byte
    {
        EnvelopeId = 1,
        NotInteractive = 1 << 1,
        Props = 1 << 2,
        RevenueAmount = 1 << 3,
        ScrollDepth = 1 << 4,
        All = EnvelopeId | NotInteractive | Props | RevenueAmount | ScrollDepth,
    }

    /// <summary>A cursor over a row; reading past its end throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public void Skip(int count) => _at = checked(_at + count) <= _bytes.Length ? _at + count : throw Truncated();

        public byte Byte() => _at < _bytes.Length ? _bytes[_at++] : throw Truncated();

        public Guid Id() => new(Take(16));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                if (shift == 63 && b > 1)
                {
                    throw new OverflowException("A varint runs over 64 bits.");
                }

                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new OverflowException("A varint runs over 64 bits.");
        }

        public string? String() => Text(out var utf8) ? Encoding.UTF8.GetString(utf8) : null;

        public string? Pooled() => Text(out var utf8) ? Utf8StringPool.Shared.GetOrAdd(utf8) : null;

        public Dictionary<string, string> Props()
        {
            var count = checked((int)Varint());
            // Each pair takes at least two bytes: a count larger than what is left is not believed.
            var props = new Dictionary<string, string>(Math.Min(count, (_bytes.Length - _at) / 2));
            for (var i = 0; i < count; i++)
            {
                var key = Pooled() ?? throw new ArgumentException("A prop's name is null.");
                if (!props.TryAdd(key, Pooled()!))
                {
                    throw new ArgumentException($"The prop '{key}' comes twice.");
                }
            }

            return props;
        }

        public decimal Decimal()
        {
            var raw = Take(16);
            Span<int> bits = stackalloc int[4];
            for (var i = 0; i < 4; i++)
            {
                bits[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
            }

            return new decimal(bits);
        }

        public readonly void End()
        {
            if (_at != _bytes.Length)
            {
                throw new ArgumentException($"{_bytes.Length - _at} bytes follow the event.");
            }
        }

        /// <summary>A string's bytes; false for a null string (length 0).</summary>
        private bool Text(out ReadOnlySpan<byte> utf8)
        {
            var length = Varint();
            utf8 = length == 0 ? default : Take(checked((int)(length - 1)));
            return length != 0;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _bytes.Length - _at)
            {
                throw Truncated();
            }

            var taken = _bytes.Slice(_at, count);
            _at += count;
            return taken;
        }

        private static ArgumentOutOfRangeException Truncated() => new("bytes", "The row ends before its event does.");
    }
}
