using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The order of result rows: the query's order_by, else time ascending, the first metric descending, then the dimension
/// values ascending (as the bucket engine did). Ties always end on time and dimension values, so pages are stable.
/// Time sorts by bucket key, not label: on a fall-back day two UTC hours share a label.
/// </summary>
internal static class ResultOrder
{
    public static Comparison<(long Time, QueryResultRow Row)> For(StatsQuery query, QueryShape shape)
    {
        var keys = new List<Comparison<(long Time, QueryResultRow Row)>>();
        var orders = query.OrderBy.Count > 0 ? query.OrderBy : DefaultOrder(query, shape);
        foreach (var order in orders)
        {
            var sign = order.Descending ? -1 : 1;
            var metric = IndexOf(query.Metrics, order.Key);
            var dimension = IndexOf(query.Dimensions, order.Key);
            if (metric >= 0)
            {
                keys.Add((a, b) => sign * a.Row.Metrics[metric].CompareTo(b.Row.Metrics[metric]));
            }
            else if (dimension == shape.TimeIndex && dimension >= 0)
            {
                keys.Add((a, b) => sign * a.Time.CompareTo(b.Time));
            }
            else if (dimension >= 0)
            {
                keys.Add((a, b) => sign * string.CompareOrdinal(a.Row.Dimensions[dimension], b.Row.Dimensions[dimension]));
            }
            else
            {
                throw new ArgumentException($"Cannot order by '{order.Key}': it is neither a metric nor a dimension of the query.");
            }
        }

        keys.Add((a, b) => a.Time.CompareTo(b.Time));
        for (var d = 0; d < query.Dimensions.Count; d++)
        {
            var index = d;
            keys.Add((a, b) => string.CompareOrdinal(a.Row.Dimensions[index], b.Row.Dimensions[index]));
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
