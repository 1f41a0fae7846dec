namespace Analytics.Cql.Protocol;

/// <summary>A request body ready to be framed on any stream id.</summary>
internal sealed record CqlRequest(CqlOpcode Opcode, CqlFrameWriter Body)
{
    public static CqlRequest Startup() => Build(CqlOpcode.Startup, w => w.WriteStringMap(new Dictionary<string, string> { ["CQL_VERSION"] = "3.0.0" }));

    public static CqlRequest Prepare(string cql) => Build(CqlOpcode.Prepare, w => w.WriteLongString(cql));

    public static CqlRequest Query(string cql, IReadOnlyList<byte[]?> values, CqlQueryParameters parameters) => Build(CqlOpcode.Query, w =>
    {
        w.WriteLongString(cql);
        parameters.WriteTo(w, values);
    });

    public static CqlRequest Execute(byte[] preparedId, IReadOnlyList<byte[]?> values, CqlQueryParameters parameters) => Build(CqlOpcode.Execute, w =>
    {
        w.WriteShortBytes(preparedId);
        parameters.WriteTo(w, values);
    });

    /// <summary>
    /// A BATCH of statements, each either CQL text or a prepared id, with its bound values, and the write timestamp of all
    /// of them (microseconds since the Unix epoch).
    /// </summary>
    public static CqlRequest Batch(CqlBatchType type, IReadOnlyList<CqlBatchEntry> entries, CqlConsistency consistency, long timestamp) => Build(CqlOpcode.Batch, w =>
    {
        w.WriteByte((byte)type);
        w.WriteShort(checked((ushort)entries.Count));
        foreach (var entry in entries)
        {
            if (entry.PreparedId is { } id)
            {
                w.WriteByte(1);
                w.WriteShortBytes(id);
            }
            else
            {
                w.WriteByte(0);
                w.WriteLongString(entry.Cql);
            }

            w.WriteShort(checked((ushort)entry.Values.Count));
            foreach (var value in entry.Values)
            {
                w.WriteBytes(value, value is null);
            }
        }

        w.WriteShort((ushort)consistency);
        // Flags: a default timestamp; no serial consistency, no value names.
        w.WriteByte(0x20);
        w.WriteLong(timestamp);
    });

    private static CqlRequest Build(CqlOpcode opcode, Action<CqlFrameWriter> write)
    {
        var body = new CqlFrameWriter();
        write(body);
        return new CqlRequest(opcode, body);
    }
}
