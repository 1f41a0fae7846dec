namespace Analytics.GrainInterfaces.Sessions;

/// <summary>
/// One per visitor of a site (key: "site|visitor", see <see cref="VisitorKeys"/>): sessionizes the visitor's events
/// and appends them to the segments of their sessions. It has no methods: its one way in is the visitor's event stream
/// (namespace <see cref="Events.StreamNames.Events"/>, key the visitor key), which its implicit subscription reads in
/// both profiles, and which the stream provider checkpoints only after a batch is durable in the segments.
/// </summary>
[Alias("IVisitorGrain")]
public interface IVisitorGrain : IGrainWithStringKey;
