using Analytics.Cql.Errors;

namespace Analytics.Cql.Protocol;

/// <summary>Parses RESULT bodies: rows (with metadata and paging state), set keyspace, prepared, schema change.</summary>
internal static class CqlResultParser
{
    private const int GlobalTablesSpecFlag = 0x0001;
    private const int HasMorePagesFlag = 0x0002;
    private const int NoMetadataFlag = 0x0004;

    public static CqlRowSet ParseRows(byte[] body)
    {
        var reader = new CqlFrameReader(body);
        var kind = (CqlResultKind)reader.ReadInt();
        switch (kind)
        {
            case CqlResultKind.Rows:
                var (columns, pagingState) = ReadMetadata(reader);
                var ordinals = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    ordinals.TryAdd(columns[i].Name, i);
                }
                var rows = new CqlRow[reader.ReadInt()];
                for (var r = 0; r < rows.Length; r++)
                {
                    var values = new object?[columns.Count];
                    for (var c = 0; c < values.Length; c++)
                    {
                        var bytes = reader.ReadBytesSlice();
                        values[c] = bytes is { } b ? CqlValueCodec.Decode(b.Span, columns[c].Type) : null;
                    }
                    rows[r] = new CqlRow(ordinals, values);
                }
                return new CqlRowSet(kind, columns, rows, pagingState);
            case CqlResultKind.SetKeyspace:
                return new CqlRowSet(kind, [], [], null, reader.ReadString());
            case CqlResultKind.Void:
            case CqlResultKind.SchemaChange:
                return new CqlRowSet(kind, [], [], null);
            default:
                throw new CqlProtocolException($"Unexpected result kind {kind} for a query.");
        }
    }

    public static CqlPreparedStatement ParsePrepared(string cql, byte[] body)
    {
        var reader = new CqlFrameReader(body);
        var kind = (CqlResultKind)reader.ReadInt();
        if (kind != CqlResultKind.Prepared)
        {
            throw new CqlProtocolException($"Expected a Prepared result, got {kind}.");
        }
        var id = reader.ReadShortBytes();
        var (variables, _) = ReadMetadata(reader);
        var (resultColumns, _) = ReadMetadata(reader);
        return new CqlPreparedStatement(cql, id, variables, resultColumns);
    }

    private static (IReadOnlyList<CqlColumn> Columns, byte[]? PagingState) ReadMetadata(CqlFrameReader reader)
    {
        var flags = reader.ReadInt();
        var count = reader.ReadInt();
        var pagingState = (flags & HasMorePagesFlag) != 0 ? reader.ReadBytes() : null;
        if ((flags & NoMetadataFlag) != 0)
        {
            return ([], pagingState);
        }
        string? keyspace = null, table = null;
        if ((flags & GlobalTablesSpecFlag) != 0)
        {
            keyspace = reader.ReadString();
            table = reader.ReadString();
        }
        var columns = new CqlColumn[count];
        for (var i = 0; i < count; i++)
        {
            var columnKeyspace = keyspace ?? reader.ReadString();
            var columnTable = table ?? reader.ReadString();
            columns[i] = new CqlColumn(columnKeyspace, columnTable, reader.ReadString(), CqlType.Read(reader));
        }
        return (columns, pagingState);
    }
}
