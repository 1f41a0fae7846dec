using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Numerics;
using System.Text;
using Analytics.Cql.Errors;

namespace Analytics.Cql.Protocol;

/// <summary>
/// Encodes .NET values to CQL v3 value bytes and back. Decoded types: text → string, bigint/counter → long,
/// int → int, blob → byte[], boolean → bool, double → double, float → float, timestamp → DateTimeOffset (UTC),
/// uuid/timeuuid → Guid, inet → IPAddress, varint → BigInteger, decimal → decimal,
/// list/set → List&lt;object?&gt;, map → Dictionary&lt;object, object?&gt;; other types stay raw byte[].
/// </summary>
internal static class CqlValueCodec
{
    /// <summary>Encodes a value; null stays null. Without a type (unprepared query) the type is inferred.</summary>
    public static byte[]? Encode(object? value, CqlType? type = null)
    {
        if (value is null)
        {
            return null;
        }
        type ??= InferType(value);
        try
        {
            return EncodeAs(value, type);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"Cannot encode a {value.GetType().Name} as CQL {type}.", nameof(value), e);
        }
    }

    public static object? Decode(ReadOnlySpan<byte> bytes, CqlType type)
    {
        switch (type.Code)
        {
            case CqlTypeCode.Ascii:
            case CqlTypeCode.Text:
            case CqlTypeCode.Varchar:
                return Encoding.UTF8.GetString(bytes);
            case CqlTypeCode.Bigint:
            case CqlTypeCode.Counter:
                return BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, type));
            case CqlTypeCode.Int:
                return BinaryPrimitives.ReadInt32BigEndian(Exactly(bytes, 4, type));
            case CqlTypeCode.Boolean:
                return Exactly(bytes, 1, type)[0] != 0;
            case CqlTypeCode.Double:
                return BinaryPrimitives.ReadDoubleBigEndian(Exactly(bytes, 8, type));
            case CqlTypeCode.Float:
                return BinaryPrimitives.ReadSingleBigEndian(Exactly(bytes, 4, type));
            case CqlTypeCode.Timestamp:
                return DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, type)));
            case CqlTypeCode.Uuid:
            case CqlTypeCode.Timeuuid:
                return new Guid(Exactly(bytes, 16, type), bigEndian: true);
            case CqlTypeCode.Inet:
                return new IPAddress(bytes);
            case CqlTypeCode.Varint:
                return new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
            case CqlTypeCode.Decimal:
                var scale = BinaryPrimitives.ReadInt32BigEndian(bytes);
                var unscaled = new BigInteger(bytes[4..], isUnsigned: false, isBigEndian: true);
                return (decimal)unscaled / (decimal)BigInteger.Pow(10, scale);
            case CqlTypeCode.List:
            case CqlTypeCode.Set:
                return DecodeList(bytes, type.Arguments[0]);
            case CqlTypeCode.Map:
                return DecodeMap(bytes, type.Arguments[0], type.Arguments[1]);
            default:
                return bytes.ToArray();
        }
    }

    /// <summary>The CQL type an unprepared query sends for a .NET value.</summary>
    public static CqlType InferType(object value) => value switch
    {
        string => CqlType.Varchar,
        long => CqlType.Bigint,
        int => CqlType.Int,
        bool => CqlType.Boolean,
        double => CqlType.Double,
        float => CqlType.Float,
        byte[] or ReadOnlyMemory<byte> or Memory<byte> => CqlType.Blob,
        DateTimeOffset or DateTime => CqlType.Timestamp,
        Guid => CqlType.Uuid,
        IPAddress => CqlType.Simple(CqlTypeCode.Inet),
        BigInteger => CqlType.Simple(CqlTypeCode.Varint),
        decimal => CqlType.Simple(CqlTypeCode.Decimal),
        IDictionary map => CqlType.Map(InferFirst(map.Keys), InferFirst(map.Values)),
        IEnumerable items when IsSet(value) => CqlType.Set(InferFirst(items)),
        IEnumerable items => CqlType.List(InferFirst(items)),
        _ => throw new ArgumentException($"No CQL type is known for {value.GetType().Name}; prepare the statement.", nameof(value)),
    };

    private static byte[] EncodeAs(object value, CqlType type)
    {
        switch (type.Code)
        {
            case CqlTypeCode.Ascii:
            case CqlTypeCode.Text:
            case CqlTypeCode.Varchar:
                return Encoding.UTF8.GetBytes((string)value);
            case CqlTypeCode.Bigint:
            case CqlTypeCode.Counter:
                return Fixed(8, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), static (s, v) => BinaryPrimitives.WriteInt64BigEndian(s, v));
            case CqlTypeCode.Int:
                return Fixed(4, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), static (s, v) => BinaryPrimitives.WriteInt32BigEndian(s, v));
            case CqlTypeCode.Boolean:
                return [(bool)value ? (byte)1 : (byte)0];
            case CqlTypeCode.Double:
                return Fixed(8, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), static (s, v) => BinaryPrimitives.WriteDoubleBigEndian(s, v));
            case CqlTypeCode.Float:
                return Fixed(4, Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture), static (s, v) => BinaryPrimitives.WriteSingleBigEndian(s, v));
            case CqlTypeCode.Timestamp:
                var instant = value is DateTime dt ? new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt) : (DateTimeOffset)value;
                return Fixed(8, instant.ToUnixTimeMilliseconds(), static (s, v) => BinaryPrimitives.WriteInt64BigEndian(s, v));
            case CqlTypeCode.Uuid:
            case CqlTypeCode.Timeuuid:
                var uuid = new byte[16];
                ((Guid)value).TryWriteBytes(uuid, bigEndian: true, out _);
                return uuid;
            case CqlTypeCode.Inet:
                return ((IPAddress)value).GetAddressBytes();
            case CqlTypeCode.Varint:
                return (value is BigInteger big ? big : new BigInteger(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))).ToByteArray(isUnsigned: false, isBigEndian: true);
            case CqlTypeCode.Decimal:
                return EncodeDecimal(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
            case CqlTypeCode.List:
            case CqlTypeCode.Set:
                return EncodeList((IEnumerable)value, type.Arguments[0]);
            case CqlTypeCode.Map:
                return EncodeMap((IDictionary)value, type.Arguments[0], type.Arguments[1]);
            default:
                return value switch
                {
                    byte[] raw => raw,
                    ReadOnlyMemory<byte> memory => memory.ToArray(),
                    Memory<byte> memory => memory.ToArray(),
                    _ => throw new InvalidCastException(),
                };
        }
    }

    private static byte[] Fixed<T>(int size, T value, Action<Span<byte>, T> write)
    {
        var bytes = new byte[size];
        write(bytes, value);
        return bytes;
    }

    // A decimal's 96-bit integer and scale map directly onto CQL's unscaled varint and scale.
    private static byte[] EncodeDecimal(decimal value)
    {
        var bits = decimal.GetBits(value);
        var unscaled = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        if (value < 0)
        {
            unscaled = -unscaled;
        }
        var digits = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        var bytes = new byte[4 + digits.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value.Scale);
        digits.CopyTo(bytes, 4);
        return bytes;
    }

    // v3 collections: an [int] count, then each element as [bytes] with an [int] length.
    private static byte[] EncodeList(IEnumerable items, CqlType element)
    {
        var writer = new CollectionWriter();
        foreach (var item in items)
        {
            writer.Add(EncodeAs(item ?? throw new ArgumentException("CQL collections cannot hold null."), element));
        }
        return writer.ToArray();
    }

    private static byte[] EncodeMap(IDictionary map, CqlType key, CqlType value)
    {
        var writer = new CollectionWriter();
        foreach (DictionaryEntry entry in map)
        {
            writer.Add(EncodeAs(entry.Key, key));
            writer.AddItem(EncodeAs(entry.Value ?? throw new ArgumentException("CQL maps cannot hold null values."), value));
        }
        return writer.ToArray();
    }

    private static List<object?> DecodeList(ReadOnlySpan<byte> bytes, CqlType element)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var offset = 4;
        var items = new List<object?>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(DecodeElement(bytes, ref offset, element));
        }
        return items;
    }

    private static Dictionary<object, object?> DecodeMap(ReadOnlySpan<byte> bytes, CqlType key, CqlType value)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var offset = 4;
        var map = new Dictionary<object, object?>(count);
        for (var i = 0; i < count; i++)
        {
            var k = DecodeElement(bytes, ref offset, key) ?? throw new CqlProtocolException("A map key was null.");
            map[k] = DecodeElement(bytes, ref offset, value);
        }
        return map;
    }

    private static object? DecodeElement(ReadOnlySpan<byte> bytes, ref int offset, CqlType type)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
        offset += 4;
        if (length < 0)
        {
            return null;
        }
        var value = Decode(bytes.Slice(offset, length), type);
        offset += length;
        return value;
    }

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> bytes, int size, CqlType type) => bytes.Length == size
        ? bytes
        : throw new CqlProtocolException($"A {type} value must be {size} bytes, got {bytes.Length}.");

    private static CqlType InferFirst(IEnumerable items)
    {
        foreach (var item in items)
        {
            if (item is not null)
            {
                return InferType(item);
            }
        }
        // An empty collection's element type does not matter on the wire; blob encodes nothing.
        return CqlType.Blob;
    }

    private static bool IsSet(object value) => value.GetType().GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>));

    private sealed class CollectionWriter
    {
        private readonly MemoryStream _items = new();
        private int _count;

        public void Add(byte[] element)
        {
            _count++;
            AddItem(element);
        }

        public void AddItem(byte[] element)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, element.Length);
            _items.Write(length);
            _items.Write(element);
        }

        public byte[] ToArray()
        {
            var bytes = new byte[4 + _items.Length];
            BinaryPrimitives.WriteInt32BigEndian(bytes, _count);
            _items.Position = 0;
            _items.ReadExactly(bytes.AsSpan(4));
            return bytes;
        }
    }
}
