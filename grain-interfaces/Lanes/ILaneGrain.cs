namespace Analytics.GrainInterfaces.Lanes;

/// <summary>
/// One per stream queue (key: the queue number, "0", "1", …: a Kafka partition in the cluster profile, a lane of the
/// SQLite event log in the embedded one): sessionizes every event of the visitors hashed to its queue, a delivered batch
/// at a time. Its events come through its queue's stream (namespace <see cref="Events.StreamNames.Lanes"/>), which its
/// implicit subscription reads, and which the stream provider checkpoints only after a batch is durable.
/// </summary>
[Alias("ILaneGrain")]
public interface ILaneGrain : IGrainWithStringKey
{
    /// <summary>
    /// Tells the lane that <paramref name="site"/> was erased (its tombstone is marked): it drops the site's events from
    /// its next batch on. Returns once a batch in progress is done, so the erasure that awaits it removes every row the
    /// lane wrote for the site.
    /// </summary>
    [Alias("SiteErased")]
    Task SiteErasedAsync(string site);
}
