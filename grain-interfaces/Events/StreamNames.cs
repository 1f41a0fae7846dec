namespace Analytics.GrainInterfaces.Events;

/// <summary>The persistent stream that carries accepted events to the visitor grains in the cluster profile.</summary>
public static class StreamNames
{
    /// <summary>Name of the stream provider (Kafka).</summary>
    public const string Provider = "events";

    /// <summary>Stream namespace; the stream key is the visitor key "site|visitor".</summary>
    public const string Events = "events";
}
