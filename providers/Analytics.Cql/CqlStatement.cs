namespace Analytics.Cql;

/// <summary>
/// A statement to execute. Values bind to '?' markers in order. Set <see cref="IsIdempotent"/> only when
/// executing it twice has the same effect as once: only then is it retried after a failure that may have
/// reached the server (timeouts, a connection dropped after sending).
/// </summary>
public sealed record CqlStatement
{
    public CqlStatement(string cql, params object?[] values)
    {
        Cql = cql;
        Values = values;
    }

    public string Cql { get; }
    public IReadOnlyList<object?> Values { get; init; }

    /// <summary>Null uses the session's default consistency.</summary>
    public CqlConsistency? Consistency { get; init; }

    /// <summary>Serial or LocalSerial for the Paxos phase of lightweight transactions; null leaves the server default (SERIAL).</summary>
    public CqlConsistency? SerialConsistency { get; init; }

    /// <summary>Rows per page; null uses the session default, 0 or less disables paging.</summary>
    public int? PageSize { get; init; }

    /// <summary>Resume after the page that returned this state.</summary>
    public byte[]? PagingState { get; init; }

    public bool IsIdempotent { get; init; }

    /// <summary>Execute as a (cached) prepared statement: values are typed by the server's metadata.</summary>
    public bool Prepare { get; init; }
}
