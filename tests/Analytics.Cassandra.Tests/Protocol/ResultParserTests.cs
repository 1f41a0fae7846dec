using Analytics.Cql;
using Analytics.Cql.Protocol;

namespace Analytics.Cassandra.Tests.Protocol;

public sealed class ResultParserTests
{
    [Fact]
    public void Rows_with_global_spec_paging_state_and_nulls_parse()
    {
        var writer = new CqlFrameWriter();
        writer.WriteInt((int)CqlResultKind.Rows);
        writer.WriteInt(0x0001 | 0x0002);
        writer.WriteInt(2);
        writer.WriteBytes([9, 9]);
        writer.WriteString("ks");
        writer.WriteString("t");
        writer.WriteString("id");
        writer.WriteShort((ushort)CqlTypeCode.Int);
        writer.WriteString("tags");
        writer.WriteShort((ushort)CqlTypeCode.Set);
        writer.WriteShort((ushort)CqlTypeCode.Varchar);
        writer.WriteInt(2);
        writer.WriteBytes(CqlValueCodec.Encode(1));
        writer.WriteBytes(CqlValueCodec.Encode(new HashSet<string> { "a" }));
        writer.WriteBytes(CqlValueCodec.Encode(2));
        writer.WriteBytes([], isNull: true);

        var rows = CqlResultParser.ParseRows(writer.Complete(0, CqlOpcode.Result).ToArray()[CqlFrameHeader.Size..]);

        Assert.Equal(new byte[] { 9, 9 }, rows.PagingState);
        Assert.Equal(new[] { "id", "tags" }, rows.Columns.Select(c => c.Name));
        Assert.Equal("ks", rows.Columns[1].Keyspace);
        Assert.Equal(2, rows.Rows[1].GetInt32("id"));
        Assert.Equal(new[] { "a" }, rows.Rows[0].GetSet<string>("tags"));
        Assert.True(rows.Rows[1].IsNull("tags"));
        Assert.Empty(rows.Rows[1].GetSet<string>("tags"));
    }

    [Fact]
    public void Prepared_result_carries_id_variables_and_result_columns()
    {
        var writer = new CqlFrameWriter();
        writer.WriteInt((int)CqlResultKind.Prepared);
        writer.WriteShortBytes([0xCA, 0xFE]);
        writer.WriteInt(0x0001);
        writer.WriteInt(1);
        writer.WriteString("ks");
        writer.WriteString("t");
        writer.WriteString("k");
        writer.WriteShort((ushort)CqlTypeCode.Bigint);
        writer.WriteInt(0x0004);
        writer.WriteInt(0);

        var prepared = CqlResultParser.ParsePrepared("SELECT", writer.Complete(0, CqlOpcode.Result).ToArray()[CqlFrameHeader.Size..]);

        Assert.Equal(new byte[] { 0xCA, 0xFE }, prepared.Id);
        Assert.Equal(CqlTypeCode.Bigint, Assert.Single(prepared.Variables).Type.Code);
        Assert.Empty(prepared.ResultColumns);
    }

    [Fact]
    public void Client_options_are_validated()
    {
        Assert.Empty(CassandraClientOptionsValidator.Validate(new CassandraClientOptions()));
        var bad = new CassandraClientOptions { ContactPoints = ["host:notaport"], PoolSize = 0, Keyspace = "bad-name", DefaultConsistency = CqlConsistency.Serial };
        Assert.Equal(4, CassandraClientOptionsValidator.Validate(bad).Count);
        Assert.Equal(new CqlEndpoint("h", 9042), CqlEndpoint.Parse("h"));
    }
}
