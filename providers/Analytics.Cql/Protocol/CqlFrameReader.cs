using System.Buffers.Binary;
using System.Text;
using Analytics.Cql.Errors;

namespace Analytics.Cql.Protocol;

/// <summary>Reads body notations ([int], [string], [bytes], ...) sequentially from a frame body.</summary>
internal sealed class CqlFrameReader(byte[] body)
{
    private int _position;

    public int Remaining => body.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadShort() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public string ReadString() => Encoding.UTF8.GetString(Take(ReadShort()));

    /// <summary>[bytes]; null when the length is negative.</summary>
    public byte[]? ReadBytes()
    {
        var length = ReadInt();
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>[bytes] as a slice of the body without copying; null when the length is negative.</summary>
    public ReadOnlyMemory<byte>? ReadBytesSlice()
    {
        var length = ReadInt();
        if (length < 0)
        {
            return null;
        }
        Take(length);
        return new ReadOnlyMemory<byte>(body, _position - length, length);
    }

    public byte[] ReadShortBytes() => Take(ReadShort()).ToArray();

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new CqlProtocolException($"Frame body truncated: needed {count} bytes at offset {_position}, {Remaining} left.");
        }
        var span = new ReadOnlySpan<byte>(body, _position, count);
        _position += count;
        return span;
    }
}
