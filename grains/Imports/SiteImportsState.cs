using Analytics.GrainInterfaces.Imports;

namespace Analytics.Grains.Imports;

[GenerateSerializer, Alias("SiteImportsState")]
public sealed class SiteImportsState
{
    [Id(0)] public List<SiteImport> Imports { get; set; } = [];
    [Id(1)] public long LastId { get; set; }
    /// <summary>Aggregate rows by import id.</summary>
    [Id(2)] public Dictionary<long, List<ImportedRow>> Rows { get; set; } = [];
    [Id(3)] public HashSet<Guid> EventIds { get; set; } = [];
}
