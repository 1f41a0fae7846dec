using System.ComponentModel.DataAnnotations;

namespace Analytics.Sqlite.Storage;

public sealed class SqliteStorageOptions
{
    public const string SectionName = "Analytics:Sqlite";

    /// <summary>Folder of the embedded profile's database files; created if missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public string GrainStatePath => Path.Combine(DataDirectory, "grains.db");

    public string EventLogPath => Path.Combine(DataDirectory, "events.db");
}
