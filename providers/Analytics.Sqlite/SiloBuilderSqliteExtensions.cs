using Analytics.Sqlite.Storage;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class SiloBuilderSqliteExtensions
{
    /// <summary>Registers <see cref="SqliteGrainStorage"/> (Analytics:Storage) as the named (keyed) grain-storage provider.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddOptions<SqliteStorageOptions>().BindConfiguration(SqliteStorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            // Relative to the content root (the app's folder), not to wherever the process was started.
            .PostConfigure<IHostEnvironment>((o, host) => o.DataDirectory = Path.GetFullPath(o.DataDirectory, host.ContentRootPath));
        silo.Services.AddSingleton(sp => new SqliteGrainStorage(
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.GrainStatePath,
            sp.GetRequiredService<Serializer>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
        return silo;
    }
}
