using Analytics.Cql;
using Analytics.Cql.Errors;
using Analytics.Cql.Protocol;

namespace Analytics.Cassandra.Tests.Protocol;

public sealed class ErrorParserTests
{
    private static byte[] Body(CqlErrorCode code, string message, Action<CqlFrameWriter>? extra = null)
    {
        var writer = new CqlFrameWriter();
        writer.WriteInt((int)code);
        writer.WriteString(message);
        extra?.Invoke(writer);
        return writer.Complete(0, CqlOpcode.Error).ToArray()[CqlFrameHeader.Size..];
    }

    [Fact]
    public void Syntax_error_keeps_the_server_message()
    {
        var error = Assert.IsType<CqlSyntaxException>(CqlErrorParser.Parse(Body(CqlErrorCode.SyntaxError, "line 1:0 no viable alternative")));
        Assert.Equal("line 1:0 no viable alternative", error.Message);
        Assert.Equal(CqlErrorCode.SyntaxError, error.ErrorCode);
    }

    [Fact]
    public void Unavailable_carries_consistency_and_replica_counts()
    {
        var error = Assert.IsType<CqlUnavailableException>(CqlErrorParser.Parse(Body(CqlErrorCode.Unavailable, "down", w =>
        {
            w.WriteShort((ushort)CqlConsistency.Quorum);
            w.WriteInt(2);
            w.WriteInt(1);
        })));
        Assert.Equal((CqlConsistency.Quorum, 2, 1), (error.Consistency, error.Required, error.Alive));
    }

    [Fact]
    public void Write_and_read_timeouts_carry_their_details()
    {
        var write = Assert.IsType<CqlWriteTimeoutException>(CqlErrorParser.Parse(Body(CqlErrorCode.WriteTimeout, "slow", w =>
        {
            w.WriteShort((ushort)CqlConsistency.Serial);
            w.WriteInt(0);
            w.WriteInt(1);
            w.WriteString("CAS");
        })));
        Assert.Equal("CAS", write.WriteType);

        var read = Assert.IsType<CqlReadTimeoutException>(CqlErrorParser.Parse(Body(CqlErrorCode.ReadTimeout, "slow", w =>
        {
            w.WriteShort((ushort)CqlConsistency.One);
            w.WriteInt(0);
            w.WriteInt(1);
            w.WriteByte(1);
        })));
        Assert.True(read.DataPresent);
    }

    [Fact]
    public void Already_exists_and_unprepared_carry_their_fields()
    {
        var exists = Assert.IsType<CqlAlreadyExistsException>(CqlErrorParser.Parse(Body(CqlErrorCode.AlreadyExists, "exists", w =>
        {
            w.WriteString("ks");
            w.WriteString("t");
        })));
        Assert.Equal(("ks", "t"), (exists.Keyspace, exists.Table));

        var unprepared = Assert.IsType<CqlUnpreparedException>(CqlErrorParser.Parse(Body(CqlErrorCode.Unprepared, "gone", w => w.WriteShortBytes([1, 2, 3]))));
        Assert.Equal(new byte[] { 1, 2, 3 }, unprepared.PreparedId);
    }

    [Theory]
    [InlineData(CqlErrorCode.Invalid, typeof(CqlInvalidException))]
    [InlineData(CqlErrorCode.Overloaded, typeof(CqlOverloadedException))]
    [InlineData(CqlErrorCode.ServerError, typeof(CqlServerErrorException))]
    [InlineData(CqlErrorCode.ProtocolError, typeof(CqlProtocolException))]
    [InlineData(CqlErrorCode.Unauthorized, typeof(CqlUnauthorizedException))]
    [InlineData(CqlErrorCode.ConfigError, typeof(CqlConfigException))]
    public void Codes_map_to_their_exception_types(CqlErrorCode code, Type expected)
    {
        var error = CqlErrorParser.Parse(Body(code, "m"));
        Assert.IsType(expected, error);
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public void Only_surely_unexecuted_failures_retry_non_idempotent_statements()
    {
        Assert.True(CqlSession.IsRetriable(new CqlUnavailableException("x", CqlConsistency.One, 1, 0), idempotent: false));
        Assert.True(CqlSession.IsRetriable(new CqlOverloadedException("x"), idempotent: false));
        Assert.True(CqlSession.IsRetriable(new CqlConnectionException("x", maybeSent: false), idempotent: false));
        Assert.False(CqlSession.IsRetriable(new CqlConnectionException("x", maybeSent: true), idempotent: false));
        Assert.True(CqlSession.IsRetriable(new CqlConnectionException("x", maybeSent: true), idempotent: true));
        Assert.False(CqlSession.IsRetriable(new CqlClientTimeoutException("x"), idempotent: false));
        Assert.False(CqlSession.IsRetriable(new CqlWriteTimeoutException("x", CqlConsistency.Serial, 0, 1, "CAS"), idempotent: false));
        Assert.False(CqlSession.IsRetriable(new CqlSyntaxException("x"), idempotent: true));
    }
}
