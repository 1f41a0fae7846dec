using Analytics.Cql.Errors;
using Analytics.Cql.Protocol;

namespace Analytics.Cassandra.Tests.Protocol;

public sealed class FrameHeaderTests
{
    [Fact]
    public void Header_round_trips_through_its_nine_bytes()
    {
        var header = new CqlFrameHeader(CqlFrameHeader.ResponseVersion, 0, 0x1234, CqlOpcode.Result, 0x010203);
        var bytes = new byte[CqlFrameHeader.Size];

        header.WriteTo(bytes);

        Assert.Equal(new byte[] { 0x83, 0x00, 0x12, 0x34, 0x08, 0x00, 0x01, 0x02, 0x03 }, bytes);
        Assert.Equal(header, CqlFrameHeader.Parse(bytes));
    }

    [Fact]
    public void Request_frame_carries_v3_header_stream_and_body_length()
    {
        var request = CqlRequest.Prepare("SELECT 1");

        var frame = request.Body.Complete(7, request.Opcode).ToArray();

        var header = CqlFrameHeader.Parse(frame);
        Assert.Equal(CqlFrameHeader.RequestVersion, header.Version);
        Assert.Equal((short)7, header.Stream);
        Assert.Equal(CqlOpcode.Prepare, header.Opcode);
        Assert.Equal(4 + "SELECT 1".Length, header.BodyLength);
        Assert.Equal(frame.Length - CqlFrameHeader.Size, header.BodyLength);
    }

    [Fact]
    public void Other_protocol_versions_and_bad_lengths_are_rejected()
    {
        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Parse([0x84, 0, 0, 1, 8, 0, 0, 0, 0]));
        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Parse([0x83, 0, 0, 1, 8, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Parse([0x83, 0, 0]));
    }

    [Fact]
    public void Query_parameters_set_flags_in_v3_order()
    {
        var writer = new CqlFrameWriter();
        new CqlQueryParameters(Cql.CqlConsistency.Quorum, 100, [0xAB], Cql.CqlConsistency.LocalSerial)
            .WriteTo(writer, [[1], null]);

        var body = writer.Complete(0, CqlOpcode.Query).ToArray()[CqlFrameHeader.Size..];

        var reader = new CqlFrameReader(body);
        Assert.Equal(0x0004, reader.ReadShort());
        Assert.Equal(0x01 | 0x04 | 0x08 | 0x10, reader.ReadByte());
        Assert.Equal(2, reader.ReadShort());
        Assert.Equal(new byte[] { 1 }, reader.ReadBytes());
        Assert.Null(reader.ReadBytes());
        Assert.Equal(100, reader.ReadInt());
        Assert.Equal(new byte[] { 0xAB }, reader.ReadBytes());
        Assert.Equal(0x0009, reader.ReadShort());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void A_default_timestamp_follows_the_other_query_parameters()
    {
        var writer = new CqlFrameWriter();
        new CqlQueryParameters(Cql.CqlConsistency.One, 0, null, Cql.CqlConsistency.Serial, 0x0102030405060708).WriteTo(writer, []);

        var reader = new CqlFrameReader(writer.Complete(0, CqlOpcode.Query).ToArray()[CqlFrameHeader.Size..]);
        Assert.Equal(0x0001, reader.ReadShort());
        Assert.Equal(0x10 | 0x20, reader.ReadByte());
        Assert.Equal(0x0008, reader.ReadShort());
        Assert.Equal(0x0102030405060708, ((long)reader.ReadInt() << 32) | (uint)reader.ReadInt());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void A_batch_ends_with_its_consistency_and_default_timestamp()
    {
        var request = CqlRequest.Batch(Cql.CqlBatchType.Unlogged, [new CqlBatchEntry("INSERT", null, [[7]])], Cql.CqlConsistency.Quorum, 1_773_144_000_123_456);

        var reader = new CqlFrameReader(request.Body.Complete(0, request.Opcode).ToArray()[CqlFrameHeader.Size..]);
        Assert.Equal(1, reader.ReadByte());
        Assert.Equal(1, reader.ReadShort());
        Assert.Equal(0, reader.ReadByte());
        Assert.Equal("INSERT"u8.ToArray(), reader.ReadBytes());
        Assert.Equal(1, reader.ReadShort());
        Assert.Equal(new byte[] { 7 }, reader.ReadBytes());
        Assert.Equal(0x0004, reader.ReadShort());
        Assert.Equal(0x20, reader.ReadByte());
        Assert.Equal(1_773_144_000_123_456, ((long)reader.ReadInt() << 32) | (uint)reader.ReadInt());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Truncated_body_is_a_protocol_error()
    {
        var reader = new CqlFrameReader([0, 0, 0, 9, 1, 2]);
        Assert.Throws<CqlProtocolException>(() => reader.ReadBytes());
    }
}
