using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Analytics.Cql.Protocol;

/// <summary>Builds one request frame: reserves the header, appends body notations, then patches the header.</summary>
internal sealed class CqlFrameWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public CqlFrameWriter()
    {
        _buffer.Advance(CqlFrameHeader.Size);
    }

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteShort(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>[string]: a short length then UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > ushort.MaxValue)
        {
            throw new ArgumentException("A [string] is limited to 65535 bytes.", nameof(value));
        }
        WriteShort((ushort)count);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count)));
    }

    /// <summary>[long string]: an int length then UTF-8 bytes.</summary>
    public void WriteLongString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteInt(count);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count)));
    }

    /// <summary>[bytes]: an int length (-1 for null) then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            WriteInt(-1);
            return;
        }
        WriteInt(value.Length);
        WriteRaw(value);
    }

    /// <summary>[short bytes]: a short length then the bytes.</summary>
    public void WriteShortBytes(ReadOnlySpan<byte> value)
    {
        WriteShort(checked((ushort)value.Length));
        WriteRaw(value);
    }

    public void WriteStringMap(IReadOnlyDictionary<string, string> map)
    {
        WriteShort(checked((ushort)map.Count));
        foreach (var (key, value) in map)
        {
            WriteString(key);
            WriteString(value);
        }
    }

    /// <summary>Completes the frame with its header; the writer must not be used afterwards.</summary>
    public ReadOnlyMemory<byte> Complete(short stream, CqlOpcode opcode)
    {
        var frame = _buffer.WrittenMemory;
        var header = new CqlFrameHeader(CqlFrameHeader.RequestVersion, 0, stream, opcode, frame.Length - CqlFrameHeader.Size);
        header.WriteTo(MemoryMarshal.AsMemory(frame).Span);
        return frame;
    }
}
