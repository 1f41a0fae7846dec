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

    private static CqlRequest Build(CqlOpcode opcode, Action<CqlFrameWriter> write)
    {
        var body = new CqlFrameWriter();
        write(body);
        return new CqlRequest(opcode, body);
    }
}
