using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Imports;

/// <summary>
/// A site's imports (key: the domain): the jobs, the daily aggregates of Plausible CSV imports, and the ids of events
/// imported from events.csv, so that importing the same data twice counts it once.
/// </summary>
[Alias("ISiteImportsGrain")]
public interface ISiteImportsGrain : IGrainWithStringKey
{
    /// <summary>The most aggregate rows and imported event ids one site keeps: its state stays a few MB, under Cassandra's mutation size.</summary>
    const int MaxRows = 100_000;
    const int MaxEventIds = 400_000;

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<SiteImport>> ListAsync();

    /// <summary>
    /// A new job (status running), or the completed aggregate import of the same content (nothing is started), or null when
    /// the site cannot keep <paramref name="rows"/> more aggregate rows.
    /// </summary>
    [Alias("Start")]
    Task<SiteImport?> StartAsync(SiteImport import, int rows);

    /// <summary>Stores a Plausible import's rows and completes it.</summary>
    [Alias("CompleteAggregates")]
    Task<SiteImport> CompleteAggregatesAsync(long id, IReadOnlyList<ImportedRow> rows, int firstDay, int lastDay);

    /// <summary>Which of <paramref name="ids"/> were not imported before.</summary>
    [Alias("NewEvents"), ReadOnly]
    Task<IReadOnlyList<Guid>> NewEventsAsync(IReadOnlyList<Guid> ids);

    /// <summary>Records events appended to the log and the job's progress.</summary>
    [Alias("EventsAppended")]
    Task<SiteImport> EventsAppendedAsync(long id, IReadOnlyList<Guid> ids, int done, int skipped);

    /// <summary>Ends a job: completed, or failed with <paramref name="problem"/>.</summary>
    [Alias("Finish")]
    Task<SiteImport> FinishAsync(long id, string? problem);

    /// <summary>
    /// The imported rows of <paramref name="table"/> (an <see cref="ImportedTable"/> name) in the query's local days that
    /// pass its filter, summed by its dimensions; each row's metrics are <see cref="ImportedTable.Counts"/>.
    /// </summary>
    [Alias("Aggregate"), ReadOnly]
    Task<Query.QueryResult> AggregateAsync(Query.StatsQuery query, string table);

    /// <summary>Forgets one import's aggregates (its events, already counted, stay).</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(long id);

    /// <summary>Forgets everything (the site is being erased).</summary>
    [Alias("Clear")]
    Task ClearAsync();
}
