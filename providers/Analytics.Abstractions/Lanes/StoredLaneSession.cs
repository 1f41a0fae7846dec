namespace Analytics.Abstractions.Lanes;

/// <summary>One visitor's session state in a lane: keyed by its visitor hash, with its site (for erasure) and end time (for expiry).</summary>
public sealed record StoredLaneSession(ulong Visitor, string Site, DateTime End, ReadOnlyMemory<byte> State);
