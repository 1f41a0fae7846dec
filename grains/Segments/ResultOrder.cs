using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The order of result rows: the query's order_by, else time ascending, the first metric descending, then the dimension
/// values ascending (as the bucket engine did). Ties always end on time and dimension values, so pages are stable.
/// Time sorts by bucket key, not label: on a fall-back day two UTC hours share a label.
/// </summary>
internal static class ResultOrder
{
    /// <summary>
    /// The order of the <paramref name="shown"/> groups of <paramref name="groups"/>; each metric the order reads is
    /// computed once per group (<paramref name="metric"/>), not at every comparison.
    /// </summary>
    public static Comparison<int> For(StatsQuery query, QueryShape shape, GroupTable groups, IReadOnlyList<int> shown, Func<int, string, double> metric)
    {
        var keys = new List<Comparison<int>>();
        var orders = query.OrderBy.Count > 0 ? query.OrderBy : DefaultOrder(query, shape);
        foreach (var order in orders)
        {
            var sign = order.Descending ? -1 : 1;
            var m = IndexOf(query.Metrics, order.Key);
            var dimension = IndexOf(query.Dimensions, order.Key);
            if (m >= 0)
            {
                var values = new double[groups.Count];
                foreach (var g in shown)
                {
                    values[g] = metric(g, query.Metrics[m]);
                }

                keys.Add((a, b) => sign * values[a].CompareTo(values[b]));
            }
            else if (dimension == shape.TimeIndex && dimension >= 0)
            {
                keys.Add((a, b) => sign * groups.Time(a).CompareTo(groups.Time(b)));
            }
            else if (dimension >= 0)
            {
                keys.Add(ByValue(groups, ValueIndex(shape, dimension), sign));
            }
            else
            {
                throw new ArgumentException($"Cannot order by '{order.Key}': it is neither a metric nor a dimension of the query.");
            }
        }

        keys.Add((a, b) => groups.Time(a).CompareTo(groups.Time(b)));
        for (var d = 0; d < query.Dimensions.Count; d++)
        {
            // The time dimension's label follows its bucket, compared just above.
            if (d != shape.TimeIndex)
            {
                keys.Add(ByValue(groups, ValueIndex(shape, d), sign: 1));
            }
        }

        return (a, b) =>
        {
            foreach (var key in keys)
            {
                var c = key(a, b);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        };
    }

    /// <summary>The order's first key: the query's first order_by, else the default's (null when rows have no order to speak of).</summary>
    public static QueryOrder? Lead(StatsQuery query, QueryShape shape) =>
        query.OrderBy.Count > 0 ? query.OrderBy[0] : DefaultOrder(query, shape).FirstOrDefault();

    private static Comparison<int> ByValue(GroupTable groups, int value, int sign) =>
        (a, b) => sign * string.CompareOrdinal(groups.Value(a, value), groups.Value(b, value));

    /// <summary>Where dimension <paramref name="d"/> of the query sits in a group key's values (the time dimension is not among them).</summary>
    private static int ValueIndex(QueryShape shape, int d) => shape.TimeIndex >= 0 && d > shape.TimeIndex ? d - 1 : d;

    private static List<QueryOrder> DefaultOrder(StatsQuery query, QueryShape shape)
    {
        var orders = new List<QueryOrder>();
        if (shape.TimeIndex >= 0)
        {
            orders.Add(new QueryOrder(query.Dimensions[shape.TimeIndex], Descending: false));
        }

        if (shape.Grouping.Count > 0 && query.Metrics.Count > 0)
        {
            orders.Add(new QueryOrder(query.Metrics[0], Descending: true));
        }

        return orders;
    }

    private static int IndexOf(IReadOnlyList<string> list, string key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == key)
            {
                return i;
            }
        }

        return -1;
    }
}
