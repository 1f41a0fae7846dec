namespace Analytics.Cql.Protocol;

/// <summary>A column or bind-variable type; collections carry their element types.</summary>
public sealed record CqlType(CqlTypeCode Code, IReadOnlyList<CqlType> Arguments, string? CustomName = null)
{
    public static readonly CqlType Ascii = Simple(CqlTypeCode.Ascii);
    public static readonly CqlType Bigint = Simple(CqlTypeCode.Bigint);
    public static readonly CqlType Blob = Simple(CqlTypeCode.Blob);
    public static readonly CqlType Boolean = Simple(CqlTypeCode.Boolean);
    public static readonly CqlType Double = Simple(CqlTypeCode.Double);
    public static readonly CqlType Float = Simple(CqlTypeCode.Float);
    public static readonly CqlType Int = Simple(CqlTypeCode.Int);
    public static readonly CqlType Timestamp = Simple(CqlTypeCode.Timestamp);
    public static readonly CqlType Uuid = Simple(CqlTypeCode.Uuid);
    public static readonly CqlType Timeuuid = Simple(CqlTypeCode.Timeuuid);
    public static readonly CqlType Varchar = Simple(CqlTypeCode.Varchar);

    public static CqlType Simple(CqlTypeCode code) => new(code, []);

    public static CqlType List(CqlType element) => new(CqlTypeCode.List, [element]);

    public static CqlType Set(CqlType element) => new(CqlTypeCode.Set, [element]);

    public static CqlType Map(CqlType key, CqlType value) => new(CqlTypeCode.Map, [key, value]);

    /// <summary>Reads an [option] (type id plus its parameters).</summary>
    internal static CqlType Read(CqlFrameReader reader)
    {
        var code = (CqlTypeCode)reader.ReadShort();
        switch (code)
        {
            case CqlTypeCode.Custom:
                return new CqlType(code, [], reader.ReadString());
            case CqlTypeCode.List:
            case CqlTypeCode.Set:
                return new CqlType(code, [Read(reader)]);
            case CqlTypeCode.Map:
                return new CqlType(code, [Read(reader), Read(reader)]);
            case CqlTypeCode.Udt:
                var keyspace = reader.ReadString();
                var name = reader.ReadString();
                var fields = new CqlType[reader.ReadShort()];
                for (var i = 0; i < fields.Length; i++)
                {
                    reader.ReadString();
                    fields[i] = Read(reader);
                }
                return new CqlType(code, fields, $"{keyspace}.{name}");
            case CqlTypeCode.Tuple:
                var items = new CqlType[reader.ReadShort()];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Read(reader);
                }
                return new CqlType(code, items);
            default:
                return Simple(code);
        }
    }

    public override string ToString() => Arguments.Count == 0
        ? CustomName ?? Code.ToString().ToLowerInvariant()
        : $"{Code.ToString().ToLowerInvariant()}<{string.Join(", ", Arguments)}>";
}
