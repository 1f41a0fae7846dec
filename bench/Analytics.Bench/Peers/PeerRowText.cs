using System.Globalization;

namespace Analytics.Bench.Peers;

/// <summary>A result row as one comparable line.</summary>
internal static class PeerRowText
{
    public static string Of(object?[] values) => string.Join(", ", values.Select(v => v switch
    {
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    }));
}
