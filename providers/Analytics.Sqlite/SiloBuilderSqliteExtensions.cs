using Analytics.Abstractions.Lanes;
using Analytics.Abstractions.Segments;
using Analytics.Sqlite.Lanes;
using Analytics.Sqlite.Segments;
using Analytics.Sqlite.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class SiloBuilderSqliteExtensions
{
    /// <summary>Registers <see cref="SqliteGrainStorage"/> (Analytics:Storage) as the named (keyed) grain-storage provider.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name)
    {
        AddDataDirectory(silo.Services);
        silo.Services.AddSingleton(sp => new SqliteGrainStorage(
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.GrainStatePath,
            sp.GetRequiredService<Serializer>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
        return silo;
    }

    /// <summary>
    /// Registers <see cref="SqliteSegmentStore"/> (Analytics:SegmentStore, a file in the data directory) as the silo's
    /// <see cref="ISegmentStore"/>; the file is opened when the silo starts and closed when it stops.
    /// </summary>
    public static ISiloBuilder AddSqliteSegmentStore(this ISiloBuilder silo)
    {
        AddDataDirectory(silo.Services);
        silo.Services.AddOptions<SqliteSegmentStoreOptions>().BindConfiguration(SqliteSegmentStoreOptions.SectionName).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteSegmentStoreOptions>, SqliteSegmentStoreOptionsValidator>());
        silo.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SqliteSegmentStoreOptions>>().Value;
            return new SqliteSegmentStore(Path.Combine(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory, options.FileName), options);
        });
        silo.Services.AddSingleton<ISegmentStore>(sp => sp.GetRequiredService<SqliteSegmentStore>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SqliteSegmentStore>());
        return silo;
    }

    /// <summary>
    /// Registers <see cref="SqliteLaneStateStore"/> (Analytics:LaneStore, a file in the data directory) as the silo's
    /// <see cref="ILaneStateStore"/>, where lanes checkpoint their offsets and sessions; opened when the silo starts and
    /// closed when it stops.
    /// </summary>
    public static ISiloBuilder AddSqliteLaneStateStore(this ISiloBuilder silo)
    {
        AddDataDirectory(silo.Services);
        silo.Services.AddOptions<SqliteLaneStateStoreOptions>().BindConfiguration(SqliteLaneStateStoreOptions.SectionName).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteLaneStateStoreOptions>, SqliteLaneStateStoreOptionsValidator>());
        silo.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SqliteLaneStateStoreOptions>>().Value;
            return new SqliteLaneStateStore(Path.Combine(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory, options.FileName), options);
        });
        silo.Services.AddSingleton<ILaneStateStore>(sp => sp.GetRequiredService<SqliteLaneStateStore>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SqliteLaneStateStore>());
        return silo;
    }

    /// <summary>The data directory (Analytics:Sqlite) every SQLite store of the silo keeps its file in.</summary>
    private static void AddDataDirectory(IServiceCollection services) =>
        services.AddOptions<SqliteStorageOptions>().BindConfiguration(SqliteStorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            // Relative to the content root (the app's folder), not to wherever the process was started.
            .PostConfigure<IHostEnvironment>((o, host) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, host.ContentRootPath));
}
