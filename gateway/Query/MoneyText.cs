using System.Globalization;

namespace Analytics.Gateway.Query;

/// <summary>
/// Amounts written as Plausible writes them (its Money library, English): "€1,234.00" in full with the currency's minor
/// digits, "€1.2K" compact with one decimal (K, M, B, T), rounded half to even. Symbols for common currencies; others
/// lead with their code.
/// </summary>
public static class MoneyText
{
    private static readonly IReadOnlyDictionary<string, string> Symbols = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["EUR"] = "€", ["USD"] = "$", ["GBP"] = "£", ["JPY"] = "¥", ["INR"] = "₹", ["KRW"] = "₩", ["ILS"] = "₪", ["VND"] = "₫",
        ["CNY"] = "CN¥", ["CAD"] = "CA$", ["AUD"] = "A$", ["NZD"] = "NZ$", ["HKD"] = "HK$", ["MXN"] = "MX$", ["BRL"] = "R$",
        ["TWD"] = "NT$", ["PHP"] = "₱", ["XAF"] = "FCFA", ["XOF"] = "F\u202FCFA",
    };

    private static readonly HashSet<string> NoMinorUnit = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeMinorDigits = new(StringComparer.Ordinal) { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

    private static readonly string[] Scales = ["", "K", "M", "B", "T"];

    public static RevenueValue Of(double value, string currency) =>
        new(Short((decimal)value, currency), Long((decimal)value, currency), value, currency);

    /// <summary>In full: symbol, grouped digits, the currency's minor digits.</summary>
    public static string Long(decimal amount, string currency)
    {
        var digits = NoMinorUnit.Contains(currency) ? 0 : ThreeMinorDigits.Contains(currency) ? 3 : 2;
        var rounded = Math.Round(Math.Abs(amount), digits, MidpointRounding.ToEven);
        return Signed(amount, currency, rounded.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    /// <summary>Compact: one decimal, scaled by thousands.</summary>
    public static string Short(decimal amount, string currency)
    {
        var magnitude = Math.Abs(amount);
        var scale = 0;
        while (scale < Scales.Length - 1 && Math.Round(magnitude, 1, MidpointRounding.ToEven) >= 1000m)
        {
            magnitude /= 1000m;
            scale++;
        }

        var text = Math.Round(magnitude, 1, MidpointRounding.ToEven).ToString("0.0", CultureInfo.InvariantCulture) + Scales[scale];
        return Signed(amount, currency, text);
    }

    private static string Signed(decimal amount, string currency, string digits) =>
        (amount < 0 ? "-" : "") + (Symbols.TryGetValue(currency, out var symbol) ? symbol : currency + "\u00A0") + digits;
}
