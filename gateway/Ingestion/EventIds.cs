using System.Buffers.Binary;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// Ids of ingested events: UUIDv7 (RFC 9562: the Unix time in milliseconds, then 74 random bits), as
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes them, but with the random bits from <see cref="Random.Shared"/>.
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> reads the operating system's secure generator, one system call per
/// event here. An event id must be unique, not secret: the lanes take a repeated id for a redelivered event, and a
/// session's id is hashed from its first event's.
/// </summary>
public static class EventIds
{
    public static Guid NewVersion7(DateTimeOffset timestamp)
    {
        // A time before 1970 has no UUIDv7 (the runtime's throws the same).
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        Random.Shared.NextBytes(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
