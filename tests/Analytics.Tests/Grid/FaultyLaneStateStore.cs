using Analytics.Abstractions.Lanes;

namespace Analytics.Tests.Grid;

/// <summary>The real lane store, with checkpoint writes that fail when <see cref="LaneCheckpointFaults"/> says so.</summary>
public sealed class FaultyLaneStateStore(ILaneStateStore inner, LaneCheckpointFaults faults) : ILaneStateStore
{
    public Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken) => inner.ReadAsync(lane, cancellationToken);

    public Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        faults.OnWrite(lane);
        return inner.WriteAsync(lane, write, cancellationToken);
    }

    public Task DeleteSiteAsync(string site, CancellationToken cancellationToken) => inner.DeleteSiteAsync(site, cancellationToken);
}
