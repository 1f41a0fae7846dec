namespace Analytics.GrainInterfaces.Events;

/// <summary>The persistent stream that carries accepted events to the visitor grains, in both profiles.</summary>
public static class StreamNames
{
    /// <summary>Name of the stream provider (Kafka in the cluster profile, the SQLite event log in the embedded one).</summary>
    public const string Provider = "events";

    /// <summary>Stream namespace; the stream key is the visitor key "site|visitor".</summary>
    public const string Events = "events";
}
