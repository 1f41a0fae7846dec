using Analytics.Bench.Infra;
using Analytics.Bench.Scenarios;

namespace Analytics.Bench.Peers;

/// <summary>A peer engine of the engine scenario: loads the imported segments' rows, answers each question as SQL.</summary>
public interface IEnginePeer : IAsyncDisposable
{
    string Name { get; }

    Task LoadAsync(SegmentRows rows);

    /// <summary>Runs the peer's SQL for <paramref name="query"/>: elapsed ms at the client and the first result row.</summary>
    Task<(double Ms, string FirstRow)> RunAsync(EngineQuery query);

    /// <summary>Bytes the peer stores for both tables (data and indexes).</summary>
    Task<long> StoredBytesAsync();
}
