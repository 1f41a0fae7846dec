using System.Globalization;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// Places instants in a query's time buckets in the site's zone, without a zone conversion per row: every UTC offset
/// and every transition falls on a quarter hour, so one table of 15-minute slots over the segment's span answers
/// almost every row with one division. A bucket's key is the UTC hour's ticks for time:hour (two UTC hours sharing a
/// local label on a fall-back day stay two rows) and the local day number of its first day otherwise.
/// </summary>
internal sealed class TimeBuckets
{
    private const long SlotMicros = 15L * 60 * 1_000_000;
    private const int Slots = 4 * 24 * 4;

    private readonly TimeGranularity _granularity;
    private readonly TimeZoneInfo _zone;
    private readonly DateOnly _firstDay;
    private readonly long _baseMicros;
    private readonly int[] _slotBucket = new int[Slots];
    private readonly List<long> _keys = [];
    private readonly Dictionary<long, int> _ids = [];

    public TimeBuckets(TimeGranularity granularity, TimeZoneInfo zone, DateTime fromUtc, DateTime segmentStartUtc)
    {
        _granularity = granularity;
        _zone = zone;
        _firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(fromUtc, zone));
        _baseMicros = ArrowColumns.ToMicros(segmentStartUtc.AddDays(-1));
        for (var s = 0; s < Slots; s++)
        {
            _slotBucket[s] = Intern(KeyOf(_baseMicros + (s * SlotMicros)));
        }
    }

    public int this[long micros]
    {
        get
        {
            var slot = (micros - _baseMicros) / SlotMicros;
            return (ulong)slot < Slots ? _slotBucket[slot] : Intern(KeyOf(micros));
        }
    }

    public long KeyOf(int bucket) => _keys[bucket];

    public static string Label(TimeGranularity granularity, long key, TimeZoneInfo zone) => granularity == TimeGranularity.Hour
        ? TimeZoneInfo.ConvertTimeFromUtc(new DateTime(key, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : DateOnly.FromDayNumber((int)key).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private int Intern(long key)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = _keys.Count;
            _keys.Add(key);
            _ids.Add(key, id);
        }

        return id;
    }

    private long KeyOf(long micros)
    {
        var utc = ArrowColumns.FromMicros(micros);
        if (_granularity == TimeGranularity.Hour)
        {
            return utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour);
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, _zone));
        var start = _granularity switch
        {
            TimeGranularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            TimeGranularity.Month => new DateOnly(day.Year, day.Month, 1),
            _ => day,
        };

        // Plausible: a week or month bucket never starts before the range does.
        return (start < _firstDay && _granularity != TimeGranularity.Day ? _firstDay : start).DayNumber;
    }
}
