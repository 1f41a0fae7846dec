using System.Net;
using Analytics.Cql.Protocol;

namespace Analytics.Cassandra.Tests.Protocol;

public sealed class ValueCodecTests
{
    public static TheoryData<object, CqlType> Values => new()
    {
        { "héllo wörld", CqlType.Varchar },
        { "plain", CqlType.Ascii },
        { "", CqlType.Varchar },
        { long.MinValue, CqlType.Bigint },
        { -5L, CqlType.Bigint },
        { int.MaxValue, CqlType.Int },
        { -1, CqlType.Int },
        { true, CqlType.Boolean },
        { false, CqlType.Boolean },
        { Math.PI, CqlType.Double },
        { double.NegativeInfinity, CqlType.Double },
        { 1.5f, CqlType.Float },
        { new byte[] { 0, 1, 254, 255 }, CqlType.Blob },
        { DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), CqlType.Timestamp },
        { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), CqlType.Uuid },
        { Guid.Parse("e7bd2e10-b9a4-11ee-8c90-0242ac120002"), CqlType.Timeuuid },
        { IPAddress.Parse("10.1.2.3"), CqlType.Simple(CqlTypeCode.Inet) },
        { -123.4500m, CqlType.Simple(CqlTypeCode.Decimal) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_round_trips(object value, CqlType type)
    {
        var bytes = CqlValueCodec.Encode(value, type)!;

        Assert.Equal(value, CqlValueCodec.Decode(bytes, type));
    }

    [Fact]
    public void Big_endian_layouts_match_the_spec()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 0 }, CqlValueCodec.Encode(256L));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }, CqlValueCodec.Encode(-2));
        // UUIDs go out in RFC 4122 byte order, not .NET's little-endian Guid layout.
        Assert.Equal(Convert.FromHexString("0f8fad5bd9cb469fa16570867728950e"), CqlValueCodec.Encode(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")));
    }

    [Fact]
    public void Null_encodes_to_null()
    {
        Assert.Null(CqlValueCodec.Encode(null, CqlType.Int));
    }

    [Fact]
    public void Prepared_types_widen_integers()
    {
        Assert.Equal(7L, CqlValueCodec.Decode(CqlValueCodec.Encode(7, CqlType.Bigint)!, CqlType.Bigint));
    }

    [Fact]
    public void List_uses_v3_four_byte_lengths()
    {
        var type = CqlType.List(CqlType.Int);

        var bytes = CqlValueCodec.Encode(new List<int> { 1, 2 }, type)!;

        Assert.Equal(new byte[] { 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 2 }, bytes);
        Assert.Equal(new List<object?> { 1, 2 }, CqlValueCodec.Decode(bytes, type));
    }

    [Fact]
    public void Set_and_map_round_trip()
    {
        var setType = CqlType.Set(CqlType.Varchar);
        var set = (List<object?>)CqlValueCodec.Decode(CqlValueCodec.Encode(new HashSet<string> { "a", "b" }, setType)!, setType)!;
        Assert.Equal(new[] { "a", "b" }, set.Cast<string>().Order());

        var mapType = CqlType.Map(CqlType.Varchar, CqlType.Bigint);
        var map = (Dictionary<object, object?>)CqlValueCodec.Decode(
            CqlValueCodec.Encode(new Dictionary<string, long> { ["x"] = 1, ["y"] = -2 }, mapType)!, mapType)!;
        Assert.Equal(2, map.Count);
        Assert.Equal(1L, map["x"]);
        Assert.Equal(-2L, map["y"]);
    }

    [Fact]
    public void Types_are_inferred_for_unprepared_values()
    {
        Assert.Equal(CqlTypeCode.Bigint, CqlValueCodec.InferType(1L).Code);
        Assert.Equal(CqlTypeCode.Set, CqlValueCodec.InferType(new HashSet<int> { 1 }).Code);
        Assert.Equal(CqlTypeCode.List, CqlValueCodec.InferType(new[] { 1 }).Code);
        Assert.Equal("map<varchar, int>", CqlValueCodec.InferType(new Dictionary<string, int> { ["a"] = 1 }).ToString());
        Assert.Throws<ArgumentException>(() => CqlValueCodec.InferType(new object()));
    }

    [Fact]
    public void Type_options_parse_nested_collections()
    {
        var writer = new CqlFrameWriter();
        writer.WriteShort((ushort)CqlTypeCode.Map);
        writer.WriteShort((ushort)CqlTypeCode.Varchar);
        writer.WriteShort((ushort)CqlTypeCode.List);
        writer.WriteShort((ushort)CqlTypeCode.Timeuuid);
        var body = writer.Complete(0, CqlOpcode.Query).ToArray()[CqlFrameHeader.Size..];

        Assert.Equal("map<varchar, list<timeuuid>>", CqlType.Read(new CqlFrameReader(body)).ToString());
    }
}
