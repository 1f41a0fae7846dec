namespace Analytics.Grains.Sessions;

[GenerateSerializer, Alias("VisitorState")]
public sealed class VisitorState
{
    [Id(0)] public SessionState? Session { get; set; }

    /// <summary>Ids of the most recent events, oldest first: a redelivered event among them counts nothing.</summary>
    [Id(1)] public List<Guid> RecentEventIds { get; set; } = [];
}
