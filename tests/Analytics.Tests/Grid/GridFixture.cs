using Analytics.Abstractions.Lanes;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains;
using Analytics.Silo.Hosting;
using Analytics.Sqlite;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Lanes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Analytics.Tests.Grid;

/// <summary>An Orleans TestCluster running the real grains on the embedded SQLite storage, event log and stream in a temporary folder.</summary>
public sealed class GridFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("analytics-grid-").FullName;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The silo's event log: what tests append to, so the events reach the grains through the stream.</summary>
    public SqliteEventLog Log => Cluster.Primary is InProcessSiloHandle silo
        ? silo.SiloHost.Services.GetRequiredService<SqliteEventLog>()
        : throw new InvalidOperationException("The silo runs in another process.");

    /// <summary>Fails the silo's next lane checkpoints on demand.</summary>
    public LaneCheckpointFaults Faults => Cluster.Primary is InProcessSiloHandle silo
        ? silo.SiloHost.Services.GetRequiredService<LaneCheckpointFaults>()
        : throw new InvalidOperationException("The silo runs in another process.");

    /// <summary>Where the silo's lanes checkpoint their sessions.</summary>
    public ILaneStateStore LaneStates => Cluster.Primary is InProcessSiloHandle silo
        ? silo.SiloHost.Services.GetRequiredService<ILaneStateStore>()
        : throw new InvalidOperationException("The silo runs in another process.");

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Sqlite:DataDirectory"] = DataDirectory,
            // Every second batch folds an open segment into one payload, so the scenarios cover compaction too.
            ["Analytics:Segments:CompactAfterBatches"] = "2",
            ["Analytics:Segments:CompactInterval"] = "00:00:00",
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddSqliteGrainStorage(StorageNames.Analytics);
            siloBuilder.AddSqliteSegmentStore();
            siloBuilder.AddSqliteLaneStateStore();
            // The real store, behind a switch that fails checkpoints as a lane dying after its segment appends would.
            siloBuilder.Services.AddSingleton<LaneCheckpointFaults>();
            siloBuilder.Services.AddSingleton<ILaneStateStore>(sp => new FaultyLaneStateStore(sp.GetRequiredService<SqliteLaneStateStore>(), sp.GetRequiredService<LaneCheckpointFaults>()));
            siloBuilder.Services.AddSqliteEventLog();
            siloBuilder.Services.AddSqliteSiteDataStore();
            siloBuilder.AddSqliteStreams(StreamNames.Provider, _ => { }, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            siloBuilder.AddAnalyticsGrains();
        }
    }
}
