using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Analytics.Abstractions.Lanes;

/// <summary>
/// Stored sessions as records laid end to end, the format of a lane store's parts (blobs that hold a checkpoint's changed
/// sessions, later merged). Per session, little-endian: visitor (8 bytes), end ticks (8), site length (4) and UTF-8,
/// state length (4) and bytes. Shared by the stores, so a compaction moves records as the bytes they were stored as.
/// </summary>
public static class LaneSessionRecords
{
    private const int FixedBytes = 24;

    /// <summary>The bytes <paramref name="session"/> takes as a record.</summary>
    public static int Size(StoredLaneSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return FixedBytes + Encoding.UTF8.GetByteCount(session.Site) + session.State.Length;
    }

    /// <summary>Appends <paramref name="session"/>'s record to <paramref name="buffer"/>.</summary>
    public static void Write(StoredLaneSession session, IBufferWriter<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var size = Size(session);
        var site = size - FixedBytes - session.State.Length;
        var span = buffer.GetSpan(size);
        BinaryPrimitives.WriteUInt64LittleEndian(span, session.Visitor);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], Ticks(session.End));
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], site);
        Encoding.UTF8.GetBytes(session.Site, span.Slice(20, site));
        BinaryPrimitives.WriteInt32LittleEndian(span[(20 + site)..], session.State.Length);
        session.State.Span.CopyTo(span[(FixedBytes + site)..]);
        buffer.Advance(size);
    }

    /// <summary>The length of the record <paramref name="records"/> begins with.</summary>
    public static int Length(ReadOnlySpan<byte> records)
    {
        var site = BinaryPrimitives.ReadInt32LittleEndian(records[16..]);
        return FixedBytes + site + BinaryPrimitives.ReadInt32LittleEndian(records[(20 + site)..]);
    }

    public static ulong Visitor(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt64LittleEndian(record);

    public static long EndTicks(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[8..]);

    /// <summary>The record's site as UTF-8.</summary>
    public static ReadOnlySpan<byte> Site(ReadOnlySpan<byte> record) => record.Slice(20, BinaryPrimitives.ReadInt32LittleEndian(record[16..]));

    /// <summary>Reads the record <paramref name="records"/> begins with (its state copied) and moves past it.</summary>
    public static StoredLaneSession Read(ref ReadOnlySpan<byte> records)
    {
        var length = Length(records);
        var site = Site(records);
        var state = records.Slice(FixedBytes + site.Length, length - FixedBytes - site.Length);
        var session = new StoredLaneSession(Visitor(records), Encoding.UTF8.GetString(site), new DateTime(EndTicks(records), DateTimeKind.Utc), state.ToArray());
        records = records[length..];
        return session;
    }

    /// <summary>Reads every record of <paramref name="part"/> into <paramref name="latest"/> by visitor: a later record replaces an earlier one.</summary>
    public static void ReadInto(ReadOnlySpan<byte> part, Dictionary<ulong, StoredLaneSession> latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        while (!part.IsEmpty)
        {
            var session = Read(ref part);
            latest[session.Visitor] = session;
        }
    }

    /// <summary>UTC ticks (a local time converted first).</summary>
    public static long Ticks(DateTime time) => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks;
}
