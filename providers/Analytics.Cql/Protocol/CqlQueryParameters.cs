namespace Analytics.Cql.Protocol;

/// <summary>The &lt;query_parameters&gt; of QUERY and EXECUTE (v3); <paramref name="Timestamp"/> in microseconds since the Unix epoch.</summary>
internal sealed record CqlQueryParameters(CqlConsistency Consistency, int PageSize, byte[]? PagingState, CqlConsistency? SerialConsistency, long? Timestamp = null)
{
    private const byte ValuesFlag = 0x01;
    private const byte PageSizeFlag = 0x04;
    private const byte PagingStateFlag = 0x08;
    private const byte SerialConsistencyFlag = 0x10;
    private const byte TimestampFlag = 0x20;

    public void WriteTo(CqlFrameWriter writer, IReadOnlyList<byte[]?> values)
    {
        var flags = (byte)((values.Count > 0 ? ValuesFlag : 0)
            | (PageSize > 0 ? PageSizeFlag : 0)
            | (PagingState is not null ? PagingStateFlag : 0)
            | (SerialConsistency is not null ? SerialConsistencyFlag : 0)
            | (Timestamp is not null ? TimestampFlag : 0));
        writer.WriteShort((ushort)Consistency);
        writer.WriteByte(flags);
        if (values.Count > 0)
        {
            writer.WriteShort(checked((ushort)values.Count));
            foreach (var value in values)
            {
                writer.WriteBytes(value, value is null);
            }
        }
        if (PageSize > 0)
        {
            writer.WriteInt(PageSize);
        }
        if (PagingState is not null)
        {
            writer.WriteBytes(PagingState);
        }
        if (SerialConsistency is { } serial)
        {
            writer.WriteShort((ushort)serial);
        }
        if (Timestamp is { } timestamp)
        {
            writer.WriteLong(timestamp);
        }
    }
}
