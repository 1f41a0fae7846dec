namespace Analytics.Grains.Segments;

/// <summary>
/// Fibonacci hashing (Knuth): multiply by 2^64/φ and keep the top bits, which spreads keys that differ only in their low
/// bits; the slot of a key in the power-of-two open-addressing tables of the scanner and the merges.
/// </summary>
internal static class FibonacciHash
{
    public const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>The slot of <paramref name="key"/> in a table of 2^(64 − <paramref name="shift"/>) slots.</summary>
    public static int Slot(ulong key, int shift) => (int)((key * Multiplier) >> shift);
}
