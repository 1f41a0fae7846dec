using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Storage;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Cassandra.EventLog;

/// <summary>
/// A row of the raw event archive's <c>event_blocks</c> table: events of one site and UTC day in (millisecond, id)
/// order, each its versioned envelope JSON behind a 4-byte length, packed as one blob (<see cref="CassandraBlobCodec"/>).
/// One row per block instead of one per event: Cassandra's work is paid per row and per byte, and envelopes of one
/// site repeat most of their text.
/// </summary>
public static class CassandraEventBlock
{
    /// <summary>The order of the archive: the event's UTC millisecond (the precision of a CQL timestamp), then its id.</summary>
    public static (long Millisecond, Guid Id) KeyOf(TrackedEvent e) => (MillisecondOf(e.Timestamp), e.Id);

    public static long MillisecondOf(DateTime timestamp) => LaneSessionRecords.Ticks(timestamp) / TimeSpan.TicksPerMillisecond;

    public static DateTime Utc(DateTime timestamp) => new(LaneSessionRecords.Ticks(timestamp), DateTimeKind.Utc);

    public static DateTime TimeOf(long millisecond) => new(millisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>The block's key, from the ids it holds: appending the same events again rewrites the same row.</summary>
    public static Guid IdOf(IReadOnlyList<Guid> eventIds)
    {
        var ids = ArrayPool<byte>.Shared.Rent(eventIds.Count * 16);
        try
        {
            for (var i = 0; i < eventIds.Count; i++)
            {
                eventIds[i].TryWriteBytes(ids.AsSpan(i * 16, 16));
            }
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(ids.AsSpan(0, eventIds.Count * 16), hash);
            return new Guid(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ids);
        }
    }

    /// <summary>Packs envelopes (already in the archive's order) into one stored blob.</summary>
    public static byte[] Pack(IReadOnlyList<byte[]> envelopes)
    {
        var size = 0;
        foreach (var envelope in envelopes)
        {
            size += 4 + envelope.Length;
        }
        var records = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = 0;
            foreach (var envelope in envelopes)
            {
                BinaryPrimitives.WriteInt32LittleEndian(records.AsSpan(at), envelope.Length);
                envelope.CopyTo(records, at + 4);
                at += 4 + envelope.Length;
            }
            return CassandraBlobCodec.Pack(records.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(records);
        }
    }

    /// <summary>The events of a stored block, in the order they were packed.</summary>
    public static List<TrackedEvent> Unpack(ReadOnlySpan<byte> stored)
    {
        var records = CassandraBlobCodec.Unpack(stored).AsSpan();
        var events = new List<TrackedEvent>();
        while (!records.IsEmpty)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(records);
            if (length < 0 || length > records.Length - 4)
            {
                throw new FormatException($"An event block's record claims {length} bytes; {records.Length - 4} remain.");
            }
            events.Add(EventEnvelope.FromUtf8Bytes(records.Slice(4, length)).Event);
            records = records[(4 + length)..];
        }
        return events;
    }
}
