using Analytics.Silo.Cassandra.Storage;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace Analytics.Silo.Hosting;

/// <summary>Registers <see cref="CassandraGrainStorage"/> as a named (keyed) Orleans grain-storage provider.</summary>
public static class SiloBuilderCassandraExtensions
{
    public static ISiloBuilder AddCassandraGrainStorageAsDefault(this ISiloBuilder builder, Action<CassandraGrainStorageOptions> configure) =>
        builder.AddCassandraGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    public static ISiloBuilder AddCassandraGrainStorage(this ISiloBuilder builder, string name, Action<CassandraGrainStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CassandraGrainStorageOptions>(name).Configure(configure);
        builder.Services.AddTransient<IConfigurationValidator>(services => new CassandraGrainStorageOptionsValidator(
            services.GetRequiredService<IOptionsMonitor<CassandraGrainStorageOptions>>().Get(name), name));
        // Orleans' helper registers the keyed IGrainStorage and hooks ILifecycleParticipant<ISiloLifecycle>.
        builder.Services.AddGrainStorage(name, CassandraGrainStorage.Create);
        return builder;
    }
}
