using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The revenue of a segment's event rows as Plausible reports it: only an event completing a revenue goal (a custom-event
/// goal with a currency, among the goals the query's top-level event:goal filters select) has revenue, in that goal's
/// currency. An amount in another currency is converted through the query's rate table (pairs such as <c>EURUSD</c> =
/// the price of one euro in dollars, used either way, or through one shared currency) in decimal, to the millionth; an
/// amount whose currency has no rate is left out and its currency remembered, so the answer can say so.
/// Names and currencies are resolved once per dictionary entry; rows then index tables.
/// </summary>
internal sealed class RevenueConversion
{
    /// <summary>Per event-name code, the index of its revenue goal's currency among the distinct revenue currencies (the rows of <see cref="_rates"/>) (-1: no revenue goal).</summary>
    private readonly int[] _targetOfName;

    /// <summary>Per target and per currency code (the null code last), the rate to it; null when there is none.</summary>
    private readonly decimal?[][] _rates;

    private readonly EventTable _events;
    private readonly string[] _currencies;
    private readonly HashSet<string> _unconverted = new(StringComparer.Ordinal);

    private RevenueConversion(Segment segment, IReadOnlyDictionary<string, string> currencyOfName, IReadOnlyDictionary<string, decimal> rates)
    {
        var events = _events = segment.Events;
        var targets = currencyOfName.Values.Distinct(StringComparer.Ordinal).ToArray();
        var names = events.Name.Values;
        _targetOfName = new int[names.Length + 1];
        for (var c = 0; c < _targetOfName.Length; c++)
        {
            _targetOfName[c] = c < names.Length && currencyOfName.TryGetValue(names[c], out var currency) ? Array.IndexOf(targets, currency) : -1;
        }

        _currencies = events.Currency.Values;
        _rates = [.. targets.Select(target => _currencies.Select(from => Rate(from, target, rates)).Append(null).ToArray())];
    }

    /// <summary>The currencies whose amounts had no rate to their goal's currency.</summary>
    public IReadOnlyCollection<string> Unconverted => _unconverted;

    /// <summary>The conversion for a query asking a revenue metric, or null when it asks none.</summary>
    public static RevenueConversion? For(Segment segment, StatsQuery query)
    {
        if (!query.Metrics.Any(m => m is MetricNames.TotalRevenue or MetricNames.AverageRevenue))
        {
            return null;
        }

        var currencyOfName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var goal in GoalBreakdown.Selected(query).Select(g => query.Goals[g]))
        {
            if (goal is { EventName: { } name, Currency: { } currency })
            {
                currencyOfName.TryAdd(name, currency);
            }
        }

        return new RevenueConversion(segment, currencyOfName, query.RevenueRates);
    }

    /// <summary>Row <paramref name="row"/>'s amount (<paramref name="micros"/>) in its goal's currency, or null when it has none.</summary>
    public long? Convert(int row, long micros)
    {
        var target = _targetOfName[_events.Name.Codes[row]];
        if (target < 0)
        {
            return null;
        }

        var code = _events.Currency.Codes[row];
        if (_rates[target][code] is { } rate)
        {
            return rate == 1m ? micros : (long)decimal.Round(micros * rate, MidpointRounding.AwayFromZero);
        }

        _unconverted.Add(code < _currencies.Length ? _currencies[code] : "(none)");
        return null;
    }

    /// <summary>The rate from <paramref name="from"/> to <paramref name="to"/>: 1, a pair either way, or through one currency both have a pair with.</summary>
    internal static decimal? Rate(string from, string to, IReadOnlyDictionary<string, decimal> rates)
    {
        if (from == to)
        {
            return 1m;
        }

        if (Direct(from, to) is { } direct)
        {
            return direct;
        }

        foreach (var pair in rates.Keys.Where(p => p.Length == 6))
        {
            var via = pair[..3] == from ? pair[3..] : pair[3..] == from ? pair[..3] : null;
            if (via is not null && via != to && Direct(from, via) is { } first && Direct(via, to) is { } second)
            {
                return first * second;
            }
        }

        return null;

        decimal? Direct(string a, string b) =>
            rates.TryGetValue(a + b, out var rate) ? rate : rates.TryGetValue(b + a, out var inverse) && inverse != 0 ? 1m / inverse : null;
    }
}
