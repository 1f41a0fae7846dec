using Analytics.GrainInterfaces.Imports;

namespace Analytics.Gateway.Query;

/// <summary>include.imports answered: the table the imported stats came from (included), or the warning saying why they are not.</summary>
public sealed record ImportsOutcome(ImportedTable? Table, string? Warning)
{
    public bool Included => Table is not null;
}
