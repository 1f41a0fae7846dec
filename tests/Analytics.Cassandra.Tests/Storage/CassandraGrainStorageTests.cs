using Analytics.Cassandra.Storage;
using Analytics.Cassandra.Tests.Grains;
using Analytics.Cassandra.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.Storage;

[Collection(CassandraCollection.Name)]
public sealed class CassandraGrainStorageTests(CassandraFixture fixture)
{
    [Fact]
    public async Task Grain_state_survives_a_silo_restart()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var key = $"visitor-{Guid.NewGuid():N}";
        var first = await StartClusterAsync();
        try
        {
            var grain = first.GrainFactory.GetGrain<ICounterGrain>(key);
            await grain.Add(5);
            Assert.Equal(12, await grain.Add(7));
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await StartClusterAsync();
        try
        {
            var grain = second.GrainFactory.GetGrain<ICounterGrain>(key);
            var state = await grain.Get();
            Assert.Equal(12, state.Total);
            Assert.Equal(new[] { "+5", "+7" }, state.History);
            Assert.Equal(13, await grain.Add(1));
            await grain.Clear();
            Assert.Equal(0, (await grain.Get()).Total);
            Assert.Equal(2, await grain.Add(2));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Of_two_racing_writers_one_wins_and_the_other_gets_InconsistentStateException()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await using var services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(CounterState).Assembly))
            .BuildServiceProvider();
        var options = new CassandraGrainStorageOptions { Keyspace = fixture.Keyspace, Client = fixture.ClientOptions() };
        await using var storageA = new CassandraGrainStorage("a", options, services.GetRequiredService<Serializer>(), services.GetRequiredService<IActivatorProvider>(), NullLoggerFactory.Instance);
        await using var storageB = new CassandraGrainStorage("b", options, services.GetRequiredService<Serializer>(), services.GetRequiredService<IActivatorProvider>(), NullLoggerFactory.Instance);
        await storageA.StartAsync(CancellationToken.None);
        await storageB.StartAsync(CancellationToken.None);
        var grainId = GrainId.Create("counter", $"race-{Guid.NewGuid():N}");

        // Round 1: both saw no record (etag null) and insert.
        var winner = await RaceAsync(storageA, storageB, grainId);
        // Round 2: both read the same etag and update.
        winner = await RaceAsync(storageA, storageB, grainId);

        var stored = await ReadAsync(storageA, grainId);
        Assert.Equal(winner.State!.Total, stored.State!.Total);
        Assert.Equal(winner.ETag, stored.ETag);

        // Clear keeps a versioned tombstone: the stale etag of before the clear cannot write again.
        var stale = await ReadAsync(storageB, grainId);
        await storageA.ClearStateAsync("counter", grainId, stored);
        Assert.False(stored.RecordExists);
        stale.State!.Total = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storageB.WriteStateAsync("counter", grainId, stale));
        var cleared = await ReadAsync(storageB, grainId);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State!.Total);
        Assert.NotNull(cleared.ETag);
        cleared.State!.Total = 3;
        await storageB.WriteStateAsync("counter", grainId, cleared);
        Assert.Equal(3, (await ReadAsync(storageA, grainId)).State!.Total);
    }

    private static async Task<GrainState<CounterState>> ReadAsync(CassandraGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync("counter", grainId, state);
        return state;
    }

    private static async Task<GrainState<CounterState>> RaceAsync(CassandraGrainStorage a, CassandraGrainStorage b, GrainId grainId)
    {
        var stateA = await ReadAsync(a, grainId);
        var stateB = await ReadAsync(b, grainId);
        Assert.Equal(stateA.ETag, stateB.ETag);
        stateA.State!.Total += 1;
        stateB.State!.Total += 2;

        var outcomes = await Task.WhenAll(TryWriteAsync(a, stateA), TryWriteAsync(b, stateB));

        Assert.Single(outcomes, o => o is null);
        Assert.IsType<InconsistentStateException>(Assert.Single(outcomes, o => o is not null));
        return outcomes[0] is null ? stateA : stateB;

        async Task<Exception?> TryWriteAsync(CassandraGrainStorage storage, GrainState<CounterState> state)
        {
            try
            {
                await storage.WriteStateAsync("counter", grainId, state);
                return null;
            }
            catch (InconsistentStateException e)
            {
                return e;
            }
        }
    }

    private async Task<TestCluster> StartClusterAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[CassandraSiloConfigurator.KeyspaceKey] = fixture.Keyspace;
        builder.Properties[CassandraSiloConfigurator.ContactPointKey] = fixture.ContactPoint;
        builder.AddSiloBuilderConfigurator<CassandraSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
