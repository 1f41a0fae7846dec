using System.Numerics;
using System.Runtime.InteropServices;

namespace Analytics.GrainInterfaces.Sketches;

/// <summary>
/// A mergeable count of distinct visitors: exact (a set of 64-bit hashes) while small, a HyperLogLog once the set
/// would outgrow the registers. Estimates use Ertl's improved raw estimator ("New cardinality estimation algorithms
/// for HyperLogLog sketches", 2017), which needs no empirical bias tables and stays unbiased from tiny to huge counts.
/// Not thread-safe: owned by one grain, cloned when handed out.
/// </summary>
[GenerateSerializer, Alias("VisitorSketch")]
public sealed class VisitorSketch
{
    /// <summary>Totals use 2^14 registers (0.8% standard error, 16 KiB dense).</summary>
    public const int TotalsPrecision = 14;

    /// <summary>Breakdown rows use 2^10 registers (3.2% standard error, 1 KiB dense): there are many rows.</summary>
    public const int RowPrecision = 10;

    [Id(0)] private readonly byte _precision;
    [Id(1)] private HashSet<ulong>? _exact;
    [Id(2)] private byte[]? _registers;

    public VisitorSketch() : this(TotalsPrecision)
    {
    }

    public VisitorSketch(int precision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 18);
        _precision = (byte)precision;
        _exact = [];
    }

    public int Precision => _precision;

    /// <summary>
    /// A sketch of <paramref name="hashes"/> in registers from the start: for a set known to be past the exact limit, it
    /// skips filling (and growing) the exact set only to fold it into registers.
    /// </summary>
    public static VisitorSketch Dense(int precision, ReadOnlySpan<ulong> hashes)
    {
        var sketch = new VisitorSketch(precision) { _exact = null };
        var registers = new byte[1 << precision];
        foreach (var hash in hashes)
        {
            AddToRegisters(registers, precision, hash);
        }

        sketch._registers = registers;
        return sketch;
    }

    public bool IsExact => _registers is null;

    /// <summary>Exact sets are kept while they take no more room than the registers would.</summary>
    private int ExactLimit => (1 << _precision) / sizeof(ulong);

    public void Add(ulong hash)
    {
        if (_registers is null)
        {
            _exact!.Add(hash);
            if (_exact.Count > ExactLimit)
            {
                Densify();
            }

            return;
        }

        AddToRegisters(_registers, _precision, hash);
    }

    public void Merge(VisitorSketch other)
    {
        if (other._precision != _precision)
        {
            throw new InvalidOperationException($"Cannot merge a sketch of precision {other._precision} into one of precision {_precision}.");
        }

        if (other._registers is null)
        {
            foreach (var hash in other._exact!)
            {
                Add(hash);
            }

            return;
        }

        if (_registers is null)
        {
            Densify();
        }

        // Register-wise max, a vector at a time (2^precision registers: a whole number of vectors for precision >= 6).
        var mine = _registers!.AsSpan();
        var theirs = other._registers.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mineVectors = MemoryMarshal.Cast<byte, Vector<byte>>(mine);
            var theirVectors = MemoryMarshal.Cast<byte, Vector<byte>>(theirs);
            for (var v = 0; v < mineVectors.Length; v++)
            {
                mineVectors[v] = Vector.Max(mineVectors[v], theirVectors[v]);
            }

            i = mineVectors.Length * Vector<byte>.Count;
        }

        for (; i < mine.Length; i++)
        {
            if (theirs[i] > mine[i])
            {
                mine[i] = theirs[i];
            }
        }
    }

    public long Count() => _registers is null ? _exact!.Count : Estimate(_registers, _precision);

    public VisitorSketch Clone()
    {
        var copy = new VisitorSketch(_precision);
        if (_registers is null)
        {
            copy._exact = [.. _exact!];
        }
        else
        {
            copy._exact = null;
            copy._registers = (byte[])_registers.Clone();
        }

        return copy;
    }

    /// <summary>Approximate bytes held, for memory accounting.</summary>
    public int ApproximateBytes => _registers?.Length ?? (_exact!.Count * 12);

    private void Densify()
    {
        var registers = new byte[1 << _precision];
        foreach (var hash in _exact!)
        {
            AddToRegisters(registers, _precision, hash);
        }

        _registers = registers;
        _exact = null;
    }

    private static void AddToRegisters(byte[] registers, int precision, ulong hash)
    {
        var index = (int)(hash >> (64 - precision));
        var rest = hash << precision;
        var maxRank = 64 - precision + 1;
        var rank = rest == 0 ? maxRank : Math.Min(BitOperations.LeadingZeroCount(rest) + 1, maxRank);
        if (rank > registers[index])
        {
            registers[index] = (byte)rank;
        }
    }

    private static long Estimate(byte[] registers, int precision)
    {
        var m = (double)registers.Length;
        var q = 64 - precision;
        Span<int> histogram = stackalloc int[q + 2];
        foreach (var r in registers)
        {
            histogram[r]++;
        }

        var z = m * Tau(1 - (histogram[q + 1] / m));
        for (var k = q; k >= 1; k--)
        {
            z = 0.5 * (z + histogram[k]);
        }

        z += m * Sigma(histogram[0] / m);
        var alphaInfinity = 1 / (2 * Math.Log(2));
        return (long)Math.Round(alphaInfinity * m * m / z);
    }

    private static double Sigma(double x)
    {
        if (x == 1)
        {
            return double.PositiveInfinity;
        }

        var y = 1.0;
        var z = x;
        while (true)
        {
            x *= x;
            var previous = z;
            z += x * y;
            y += y;
            if (previous == z)
            {
                return z;
            }
        }
    }

    private static double Tau(double x)
    {
        if (x == 0 || x == 1)
        {
            return 0;
        }

        var y = 1.0;
        var z = 1 - x;
        while (true)
        {
            x = Math.Sqrt(x);
            var previous = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
            if (previous == z)
            {
                return z / 3;
            }
        }
    }
}
