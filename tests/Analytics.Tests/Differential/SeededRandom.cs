namespace Analytics.Tests.Differential;

/// <summary>A seeded <see cref="Random"/> with the choices the generators make: one of a list, a weighted choice.</summary>
public sealed class SeededRandom(int seed) : Random(seed)
{
    public T Pick<T>(IReadOnlyList<T> values) => values[Next(values.Count)];

    public int Weighted(IReadOnlyList<(int Value, int Weight)> choices)
    {
        var roll = Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }
}
