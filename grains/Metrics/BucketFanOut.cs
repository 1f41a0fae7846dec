using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Metrics;

/// <summary>Which buckets one contribution lands in: its UTC minute (event part, totals only), UTC hour and local day.</summary>
public static class BucketFanOut
{
    public static void Expand(BucketContribution c, Action<BucketKey, BucketContribution> sink)
    {
        if (c.Id.Part == ContributionId.EventPart)
        {
            sink(BucketKey.Minute(c.Site, c.At), c.Dimensions.Count == 0 ? c : c with { Dimensions = [] });
        }

        sink(BucketKey.Hour(c.Site, c.At), c);
        sink(BucketKey.Day(c.Site, c.At, TimeZones.Find(c.Timezone)), c);
    }
}
