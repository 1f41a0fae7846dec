using Analytics.Grains.Segments;

namespace Analytics.Tests.Segments;

/// <summary>A scan's group ids by key (<see cref="GroupIdMap"/>), checked against a dictionary through its growth.</summary>
public sealed class GroupIdMapTests
{
    [Fact]
    public void Every_key_finds_the_id_it_was_added_with_through_growth_and_reuse()
    {
        var random = new Random(23);
        using var map = new GroupIdMap();
        for (var round = 0; round < 2; round++)
        {
            var expected = new Dictionary<long, int>();
            // Keys that differ only in high bits, negative ones and 0 too; more than one growth past the first 1,024 slots.
            var keys = Enumerable.Range(0, 20_000).Select(i => i % 3 == 0 ? (long)i << 40 : i % 3 == 1 ? -i : random.NextInt64()).ToList();
            foreach (var key in keys)
            {
                if (map.Find(key, out var slot) is var found && found >= 0)
                {
                    Assert.Equal(expected[key], found);
                    continue;
                }

                Assert.False(expected.ContainsKey(key));
                expected[key] = expected.Count;
                map.Add(key, expected[key], slot);
            }

            Assert.All(expected, pair => Assert.Equal(pair.Value, map.Find(pair.Key, out _)));
            Assert.Equal(-1, map.Find(long.MaxValue - 7, out _));
            // Given back to the pool and used again: nothing of the first round is found.
            map.Dispose();
            Assert.Equal(-1, map.Find(keys[0], out _));
        }
    }
}
