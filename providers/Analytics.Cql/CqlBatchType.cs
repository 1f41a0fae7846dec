namespace Analytics.Cql;

/// <summary>The kinds of a protocol v3 BATCH.</summary>
public enum CqlBatchType : byte
{
    /// <summary>Through the batch log: all statements eventually apply, even across partitions.</summary>
    Logged = 0,

    /// <summary>No batch log: atomic and isolated only when every statement writes the same partition.</summary>
    Unlogged = 1,

    Counter = 2,
}
