namespace Analytics.Grains.Sessions;

/// <summary>The visitor's current session, and what it has already contributed to the buckets of its start.</summary>
[GenerateSerializer, Alias("SessionState")]
public sealed class SessionState
{
    [Id(0)] public DateTime Start { get; set; }
    [Id(1)] public DateTime LastSeen { get; set; }
    [Id(2)] public string EntryPage { get; set; } = "/";
    [Id(3)] public string ExitPage { get; set; } = "/";
    [Id(4)] public int Pageviews { get; set; }
    [Id(5)] public bool Interacted { get; set; }
    /// <summary>Whether the buckets currently count this session as a bounce.</summary>
    [Id(6)] public bool CountedAsBounce { get; set; }
    /// <summary>The duration the buckets currently hold for this session.</summary>
    [Id(7)] public long CountedDurationMs { get; set; }
    [Id(8)] public string Timezone { get; set; } = "Etc/UTC";
    /// <summary>(dimension, value) pairs fixed at the session's start: entry page, source, UTM, country, device...</summary>
    [Id(9)] public List<KeyValuePair<string, string>> Attributes { get; set; } = [];
    /// <summary>The sender's session id (GA4), when it sends one.</summary>
    [Id(10)] public string? SessionId { get; set; }
}
