namespace Analytics.Grains.Segments;

/// <summary>
/// The groups that can make the first rows of an answer ordered by visitors, most first, counting few of them: a merged
/// group's visitors are bounded without their union (<see cref="GroupTable.VisitorBound"/>), so once the groups of the
/// highest bounds are counted, the smallest of their counts is a bar that a group bounded below it cannot reach. A
/// month of a long tail (thousands of pages, each a few visitors a day) is never unioned: that union was most of a
/// merge. Threshold algorithms of top-k query processing (Fagin et al.) prune the same way.
/// </summary>
internal static class VisitorRanking
{
    /// <summary>
    /// Of <paramref name="shown"/>, every group that may be among the first <paramref name="wanted"/> by visitors (its
    /// count made), and none that cannot: a group left out has fewer visitors than <paramref name="wanted"/> kept ones.
    /// </summary>
    public static List<int> Candidates(GroupTable groups, List<int> shown, int wanted)
    {
        if (wanted <= 0)
        {
            return [];
        }

        // Each bound once (a merged group's sums its day sets); the wanted groups of the highest (a min-heap keeps them).
        var bounds = new long[shown.Count];
        var highest = new PriorityQueue<int, long>(wanted + 1);
        for (var k = 0; k < shown.Count; k++)
        {
            var group = shown[k];
            var bound = bounds[k] = groups.VisitorBound(group);
            if (highest.Count < wanted)
            {
                highest.Enqueue(group, bound);
            }
            else if (highest.TryPeek(out _, out var lowest) && bound > lowest)
            {
                highest.DequeueEnqueue(group, bound);
            }
        }

        // Their counts; the smallest is the bar, raised by every better count found below.
        var candidates = new List<int>(wanted * 2);
        var best = new PriorityQueue<int, long>(wanted + 1);
        var counted = new HashSet<int>(wanted);
        foreach (var (group, _) in highest.UnorderedItems)
        {
            candidates.Add(group);
            counted.Add(group);
            best.Enqueue(group, groups.VisitorCount(group));
        }

        best.TryPeek(out _, out var bar);
        for (var k = 0; k < shown.Count; k++)
        {
            var group = shown[k];
            // A bound equal to the bar may tie, and a tie is settled by the dimension values: counted too.
            if (bounds[k] < bar || counted.Contains(group))
            {
                continue;
            }

            candidates.Add(group);
            var count = groups.VisitorCount(group);
            if (count > bar)
            {
                best.DequeueEnqueue(group, count);
                best.TryPeek(out _, out bar);
            }
        }

        return candidates;
    }
}
