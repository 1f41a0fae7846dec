using Analytics.Cql;
using Analytics.Cql.Errors;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Analytics.Cassandra.Tests.Protocol;

/// <summary>Storage failures travel back to grain callers, so the exceptions must cross Orleans' serializer.</summary>
public sealed class ErrorSerializationTests
{
    [Fact]
    public void Cql_exceptions_round_trip_through_the_orleans_serializer()
    {
        using var services = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(CqlException).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(
            new CqlUnavailableException("Cannot achieve consistency level QUORUM", CqlConsistency.Quorum, 2, 1)));

        var unavailable = Assert.IsType<CqlUnavailableException>(copy);
        Assert.Equal("Cannot achieve consistency level QUORUM", unavailable.Message);
        Assert.Equal((CqlErrorCode.Unavailable, CqlConsistency.Quorum, 2, 1), (unavailable.ErrorCode, unavailable.Consistency, unavailable.Required, unavailable.Alive));
    }
}
