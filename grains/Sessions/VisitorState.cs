namespace Analytics.Grains.Sessions;

[GenerateSerializer, Alias("VisitorState")]
public sealed class VisitorState
{
    [Id(0)] public SessionState? Session { get; set; }

    /// <summary>Ids of the most recent events, oldest first: a redelivered event among them counts nothing.</summary>
    [Id(1)] public List<Guid> RecentEventIds { get; set; } = [];

    /// <summary>
    /// How many events this visitor has counted: the sequence of its latest segment append. A replay from an older saved
    /// state yields the same sequences for the same events, which the segments skip.
    /// </summary>
    [Id(2)] public long Sequence { get; set; }
}
