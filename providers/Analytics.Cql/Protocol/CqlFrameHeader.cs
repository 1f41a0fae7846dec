using System.Buffers.Binary;
using Analytics.Cql.Errors;

namespace Analytics.Cql.Protocol;

/// <summary>The 9-byte v3 frame header: version, flags, 2-byte stream id, opcode, 4-byte body length.</summary>
internal readonly record struct CqlFrameHeader(byte Version, byte Flags, short Stream, CqlOpcode Opcode, int BodyLength)
{
    public const int Size = 9;
    public const byte RequestVersion = 0x03;
    public const byte ResponseVersion = 0x83;
    public const byte TracingFlag = 0x02;

    /// <summary>Largest body a server may send (256 MB, the protocol's limit); larger means a corrupt stream.</summary>
    public const int MaxBodyLength = 256 * 1024 * 1024;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = Flags;
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], Stream);
        destination[4] = (byte)Opcode;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], BodyLength);
    }

    public static CqlFrameHeader Parse(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new CqlProtocolException($"Frame header needs {Size} bytes, got {source.Length}.");
        }
        var header = new CqlFrameHeader(
            source[0], source[1], BinaryPrimitives.ReadInt16BigEndian(source[2..]),
            (CqlOpcode)source[4], BinaryPrimitives.ReadInt32BigEndian(source[5..]));
        if ((header.Version & 0x7F) != RequestVersion)
        {
            throw new CqlProtocolException($"Unsupported protocol version 0x{header.Version:X2}; this client speaks v3.");
        }
        if (header.BodyLength is < 0 or > MaxBodyLength)
        {
            throw new CqlProtocolException($"Invalid frame body length {header.BodyLength}.");
        }
        return header;
    }
}
