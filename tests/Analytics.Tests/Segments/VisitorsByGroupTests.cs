using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Segments;

namespace Analytics.Tests.Segments;

/// <summary>
/// Distinct visitors per group from (group, visitor id) pairs (<see cref="VisitorsByGroup"/>), checked against sets
/// built the plain way, on pairs in any order with repeats within and across groups.
/// </summary>
public sealed class VisitorsByGroupTests
{
    [Fact]
    public void Each_group_gets_its_distinct_visitors_whatever_the_order_and_repeats_of_the_pairs()
    {
        var random = new Random(17);
        // Hash 0 is a visitor like any other here: ids index the hashes.
        ulong[] hashes = [0UL, .. Enumerable.Range(1, 2_999).Select(i => VisitorHash.Of(SegmentRows.Site, $"v{i}"))];
        var expected = Enumerable.Range(0, 50).Select(_ => new HashSet<ulong>()).ToArray();
        using var pairs = new VisitorsByGroup();
        for (var p = 0; p < 40_000; p++)
        {
            // Skewed: group 0 takes a third of the pairs (past the exact limit), the last groups few or none.
            var group = random.Next(3) == 0 ? 0 : random.Next(1, 45);
            var visitor = random.Next(group == 0 ? hashes.Length : 300);
            pairs.Add(group, visitor);
            expected[group].Add(hashes[visitor]);
        }

        var sets = pairs.ByGroup(50, hashes);

        Assert.True(expected[0].Count > GroupVisitors.ExactLimit);
        Assert.InRange(sets[0]!.Count(), expected[0].Count * 0.98, expected[0].Count * 1.02);
        for (var g = 1; g < 45; g++)
        {
            Assert.Equal(expected[g].Count, sets[g]!.Count());
            // Exact sets union with others as the same visitors: with the plain set's own, nothing is added.
            Assert.Equal(expected[g].Count, GroupVisitors.Union([sets[g]!, GroupVisitors.FromDistinct([.. expected[g]])]).Count());
        }

        Assert.All(sets[45..], Assert.Null);
        // The same sets without an object per group: exact ones one after the other, the large one a sketch.
        var flat = pairs.Sets(50, hashes);
        Assert.Equal(sets[0]!.Count(), flat.Large![0]!.Count());
        Assert.Equal(0, flat.Ends[1] - flat.Ends[0]);
        for (var g = 1; g < 50; g++)
        {
            Assert.Null(flat.Large[g]);
            Assert.Equal(expected[g].Order(), flat.Exact(g).Order());
        }

        Assert.Equal(flat.Hashes.Length, flat.Ends[50]);
    }

    [Fact]
    public void A_set_shares_the_scans_array_but_crosses_silos_alone()
    {
        ulong[] hashes = [.. Enumerable.Range(0, 5_000).Select(i => VisitorHash.Of(SegmentRows.Site, $"v{i}"))];
        using var pairs = new VisitorsByGroup();
        // Group 0 takes 3,000 visitors (a sketch), group 1 the 1,500 after them, group 2 three of them, twice each.
        pairs.AddRuns([.. Enumerable.Range(0, 3_000)], [], [.. Enumerable.Range(0, 5_000)]);
        pairs.AddRuns([.. Enumerable.Range(3_000, 1_500)], [.. Enumerable.Repeat(1, 1_500)], [.. Enumerable.Range(0, 5_000)]);
        pairs.AddRuns([10, 20, 30, 10, 20, 30], [2, 2, 2, 2, 2, 2], [.. Enumerable.Range(0, 5_000)]);

        var sets = pairs.ByGroup(3, hashes);

        Assert.False(sets[0]!.IsExact);
        Assert.Equal(1_500, sets[1]!.Count());
        Assert.Equal(3, sets[2]!.Count());
        var bytes = SegmentRows.Serializer.SerializeToArray(sets[2]);
        Assert.InRange(bytes.Length, 3 * sizeof(ulong), 200);
        var copy = SegmentRows.Serializer.Deserialize<GroupVisitors>(bytes)!;
        Assert.Equal(3, GroupVisitors.Union([copy, sets[2]!]).Count());
        Assert.Equal(1_503, GroupVisitors.Union([copy, sets[1]!]).Count());
    }
}
