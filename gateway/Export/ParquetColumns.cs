using Apache.Arrow;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;

namespace Analytics.Gateway.Export;

/// <summary>Arrow columns of the segment export as Parquet: the schema, and one record batch written as one row group.</summary>
internal static class ParquetColumns
{
    public static ParquetSchema SchemaOf(Schema arrow) => new(arrow.FieldsList.Select(FieldOf));

    public static async Task WriteRowGroupAsync(ParquetWriter writer, ParquetSchema schema, RecordBatch batch, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        var fields = schema.DataFields;
        for (var c = 0; c < fields.Length; c++)
        {
            var field = fields[c];
            switch (batch.Column(c))
            {
                case TimestampArray times:
                    await group.WriteAsync<DateTime>(field, Enumerable.Range(0, times.Length).Select(i => times.GetTimestamp(i)!.Value.UtcDateTime).ToArray(), cancellationToken: cancellationToken);
                    break;
                case StringArray strings:
                    await group.WriteAsync(field, Enumerable.Range(0, strings.Length).Select(i => strings.GetString(i)).ToArray());
                    break;
                case UInt64Array numbers:
                    await group.WriteAsync<ulong>(field, numbers.Values.ToArray(), cancellationToken: cancellationToken);
                    break;
                case Int64Array numbers when field.IsNullable:
                    await group.WriteAsync<long>(field, numbers.ToArray(), cancellationToken: cancellationToken);
                    break;
                case Int64Array numbers:
                    await group.WriteAsync<long>(field, numbers.Values.ToArray(), cancellationToken: cancellationToken);
                    break;
                case Int32Array numbers:
                    await group.WriteAsync<int>(field, numbers.ToArray(), cancellationToken: cancellationToken);
                    break;
                case var other:
                    throw new NotSupportedException($"Column {field.Name}: no Parquet mapping for {other.Data.DataType.Name}.");
            }
        }
    }

    private static DataField FieldOf(Apache.Arrow.Field field) => field.DataType switch
    {
        TimestampType => new DataField<DateTime>(field.Name, false),
        StringType => new DataField<string>(field.Name, field.IsNullable),
        UInt64Type => new DataField<ulong>(field.Name, false),
        Int64Type => new DataField<long>(field.Name, field.IsNullable),
        Int32Type => new DataField<int>(field.Name, field.IsNullable),
        _ => throw new NotSupportedException($"Column {field.Name}: no Parquet mapping for {field.DataType.Name}."),
    };
}
