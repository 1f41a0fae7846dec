namespace Analytics.Abstractions.Segments;

/// <summary>One appended batch of an open segment.</summary>
public sealed record StoredBatch(long Batch, byte[] Payload);
