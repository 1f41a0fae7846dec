using System.Text;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Differential;

/// <summary>
/// Seeded random Stats API v2 questions over the generated data: metric subsets, 0–3 dimensions (at most one of time),
/// nested filter trees with every operator, case_sensitive false, regexes, has_done; presets, day and hour ranges.
/// Filter values come from <see cref="Catalog"/>, so most filters select something.
/// </summary>
public sealed class QueryGenerator(int seed, IReadOnlyList<DifferentialSite> sites, DateOnly firstDay, int days)
{
    public static readonly IReadOnlyList<string> EventDimensions =
        ["event:page", "event:hostname", "event:goal", "event:name", "event:props:plan", "event:props:method", "event:props:Variant"];

    public static readonly IReadOnlyList<string> VisitDimensions =
    [
        "visit:entry_page", "visit:exit_page", "visit:source", "visit:referrer", "visit:utm_source", "visit:utm_medium", "visit:utm_campaign",
        "visit:utm_content", "visit:utm_term", "visit:device", "visit:browser", "visit:browser_version", "visit:os", "visit:os_version",
        "visit:country", "visit:region", "visit:city", "visit:screen", "visit:entry_page_hostname",
    ];

    public static readonly IReadOnlyList<string> TimeDimensions = ["time:hour", "time:day", "time:week", "time:month"];

    private static readonly IReadOnlyList<string> SessionMetrics = [MetricNames.Visits, MetricNames.BounceRate, MetricNames.VisitDuration, MetricNames.ViewsPerVisit];

    private static readonly IReadOnlyList<string> EventMetrics =
        [MetricNames.Visitors, MetricNames.Pageviews, MetricNames.Events, MetricNames.TotalRevenue, MetricNames.AverageRevenue];

    private static readonly IReadOnlyList<string> PagePatterns = ["^/blog/post-[0-9]+$", "^/docs/", "pricing", "^/(about|contact)$", "post-1[0-9]?$", "^/$", "API"];

    private readonly SeededRandom _random = new(seed);

    public DifferentialQuery Next(int number)
    {
        var site = sites[_random.Next(sites.Count)];
        var dimensions = Dimensions();
        var filters = Enumerable.Range(0, _random.Weighted([(0, 25), (1, 40), (2, 25), (3, 10)])).Select(_ => Filter(depth: 0)).ToList();
        var metrics = Metrics(dimensions, filters);
        var range = Range(dimensions.Contains("time:hour"));
        var order = _random.NextDouble() < 0.25
            ? [new QueryOrder(_random.NextDouble() < 0.6 || dimensions.Count == 0 ? _random.Pick(metrics) : _random.Pick(dimensions), _random.NextDouble() < 0.5)]
            : new List<QueryOrder>();
        return new DifferentialQuery(number, site, metrics, dimensions, filters, range, order);
    }

    private List<string> Dimensions()
    {
        var count = _random.Weighted([(0, 20), (1, 45), (2, 25), (3, 10)]);
        var dimensions = new List<string>();
        var hasTime = false;
        while (dimensions.Count < count)
        {
            var roll = _random.NextDouble();
            var candidate = roll < 0.2 && !hasTime ? _random.Pick(TimeDimensions) : roll < 0.55 ? _random.Pick(EventDimensions) : _random.Pick(VisitDimensions);
            hasTime |= candidate.StartsWith("time:", StringComparison.Ordinal);
            if (!dimensions.Contains(candidate) && !(candidate is "event:goal" && dimensions.Contains("event:name")) && !(candidate is "event:name" && dimensions.Contains("event:goal")))
            {
                dimensions.Add(candidate);
            }
        }

        return dimensions;
    }

    /// <summary>
    /// A random subset; percentage only beside a non-time dimension; time_on_page and scroll_depth only where no goal or
    /// property is involved (SEMANTICS defines them over engagement events, which carry neither).
    /// </summary>
    private List<string> Metrics(List<string> dimensions, List<FilterExpression> filters)
    {
        var pool = new List<string>([.. EventMetrics, .. SessionMetrics]);
        if (dimensions.Any(d => !d.StartsWith("time:", StringComparison.Ordinal)))
        {
            pool.Add(MetricNames.Percentage);
        }

        if (!dimensions.Any(d => d.StartsWith("event:goal", StringComparison.Ordinal) || d == "event:name" || d.StartsWith("event:props:", StringComparison.Ordinal))
            && !MentionsGoalOrProps(filters))
        {
            pool.Add(MetricNames.TimeOnPage);
            pool.Add(MetricNames.ScrollDepth);
        }

        // Conversion rates need an event:goal filter (outside has_done) or dimension, as Plausible validates them.
        if (dimensions.Contains("event:goal") || filters.Any(f => FiltersOnGoal(f)))
        {
            pool.Add(MetricNames.ConversionRate);
            pool.Add(MetricNames.GroupConversionRate);
        }

        var count = _random.Weighted([(1, 25), (2, 25), (3, 20), (4, 15), (6, 10), (9, 5)]);
        return [.. pool.OrderBy(_ => _random.Next()).Take(count)];
    }

    private static bool FiltersOnGoal(FilterExpression filter) => filter switch
    {
        AndFilter and => and.Operands.Any(FiltersOnGoal),
        OrFilter or => or.Operands.Any(FiltersOnGoal),
        NotFilter not => FiltersOnGoal(not.Operand),
        DimensionFilter leaf => leaf.Dimension == "event:goal",
        _ => false,
    };

    private static bool MentionsGoalOrProps(IEnumerable<FilterExpression> filters) => filters.Any(f => f switch
    {
        AndFilter and => MentionsGoalOrProps(and.Operands),
        OrFilter or => MentionsGoalOrProps(or.Operands),
        NotFilter not => MentionsGoalOrProps([not.Operand]),
        HasDoneFilter done => MentionsGoalOrProps([done.EventFilter]),
        DimensionFilter leaf => leaf.Dimension is "event:goal" or "event:name" || leaf.Dimension.StartsWith("event:props:", StringComparison.Ordinal),
        _ => false,
    });

    private FilterExpression Filter(int depth)
    {
        var roll = _random.NextDouble();
        if (depth >= 2 || roll < 0.55)
        {
            return Leaf(_random.NextDouble() < 0.5 ? _random.Pick(EventDimensions) : _random.Pick(VisitDimensions));
        }

        return roll switch
        {
            < 0.68 => new OrFilter([.. Enumerable.Range(0, _random.Next(2, 4)).Select(_ => Filter(depth + 1))]),
            < 0.78 => new AndFilter([.. Enumerable.Range(0, _random.Next(2, 3)).Select(_ => Filter(depth + 1))]),
            < 0.88 => new NotFilter(Filter(depth + 1)),
            _ => new HasDoneFilter(_random.NextDouble() < 0.7 ? Leaf(_random.Pick(EventDimensions)) : new AndFilter([Leaf(_random.Pick(EventDimensions)), Leaf(_random.Pick(EventDimensions))]),
                Negated: _random.NextDouble() < 0.35),
        };
    }

    private DimensionFilter Leaf(string dimension)
    {
        var op = (FilterOperator)_random.Next(6);
        var caseSensitive = _random.NextDouble() < 0.7;
        var count = _random.NextDouble() < 0.7 ? 1 : 2;
        var values = Enumerable.Range(0, count).Select(_ => op switch
        {
            FilterOperator.Is or FilterOperator.IsNot => Flip(_random.Pick(Values(dimension)), caseSensitive),
            FilterOperator.Contains or FilterOperator.ContainsNot => Flip(Substring(_random.Pick(Values(dimension))), caseSensitive),
            _ => Pattern(dimension),
        }).Distinct(StringComparer.Ordinal).ToList();
        return new DimensionFilter(op, dimension, values, caseSensitive);
    }

    /// <summary>Regexes that mean the same in RE2, .NET and PostgreSQL's AREs: anchors, classes, alternation, escaped literals.</summary>
    private string Pattern(string dimension)
    {
        if (dimension is "event:page" or "visit:entry_page" or "visit:exit_page")
        {
            return _random.Pick(PagePatterns);
        }

        var value = _random.Pick(Values(dimension));
        return _random.Next(3) switch
        {
            0 => "^" + Escape(value[..Math.Min(value.Length, 3)]),
            1 => Escape(Substring(value)) + (_random.NextDouble() < 0.5 ? "$" : ""),
            _ => "^(" + Escape(value) + "|" + Escape(_random.Pick(Values(dimension))) + ")$",
        };
    }

    private static string Escape(string literal)
    {
        var escaped = new StringBuilder();
        foreach (var c in literal)
        {
            escaped.Append(@".?+*()[]{}|^$\".Contains(c, StringComparison.Ordinal) ? "\\" + c : c.ToString());
        }

        return escaped.ToString();
    }

    private string Substring(string value)
    {
        if (value.Length <= 2)
        {
            return value.Length == 0 ? "a" : value;
        }

        var length = _random.Next(1, Math.Min(6, value.Length));
        return value.Substring(_random.Next(value.Length - length + 1), length);
    }

    /// <summary>Case-insensitive leaves get a value in another case, so the modifier matters.</summary>
    private string Flip(string value, bool caseSensitive) =>
        caseSensitive ? value : _random.NextDouble() < 0.5 ? value.ToUpperInvariant() : value.ToLowerInvariant();

    private IReadOnlyList<string> Values(string dimension) => dimension switch
    {
        "event:page" or "visit:entry_page" or "visit:exit_page" => Catalog.Pages,
        "event:hostname" or "visit:entry_page_hostname" => [.. Catalog.HostPrefixes.Distinct().SelectMany(p => sites.Select(s => p + s.Domain))],
        "event:goal" or "event:name" => [.. Catalog.Goals.Select(g => g.Name)],
        "visit:source" => [.. Catalog.Sources.Select(s => s.Source).Distinct()],
        "visit:referrer" => [.. Catalog.Sources.Select(s => s.Referrer).OfType<string>().Distinct()],
        "visit:utm_source" => Catalog.UtmSources,
        "visit:utm_medium" => Catalog.UtmMediums,
        "visit:utm_campaign" => Catalog.UtmCampaigns,
        "visit:utm_content" => Catalog.UtmContents,
        "visit:utm_term" => Catalog.UtmTerms,
        "visit:device" => [.. Catalog.Systems.Select(s => s.Device).Distinct()],
        "visit:browser" => [.. Catalog.Browsers.Select(b => b.Browser).Distinct()],
        "visit:browser_version" => [.. Catalog.Browsers.SelectMany(b => b.Versions).Distinct()],
        "visit:os" => [.. Catalog.Systems.Select(s => s.Os).Distinct()],
        "visit:os_version" => [.. Catalog.Systems.SelectMany(s => s.Versions).Where(v => v.Length > 0).Distinct()],
        "visit:country" => [.. Catalog.Places.Select(p => p.Country).Distinct()],
        "visit:region" => [.. Catalog.Places.Select(p => p.Region).OfType<string>().Distinct()],
        "visit:city" => [.. Catalog.Places.Select(p => p.City).OfType<string>().Distinct()],
        "visit:screen" => [.. Catalog.Screens.OfType<string>().Distinct()],
        _ when dimension.StartsWith("event:props:", StringComparison.Ordinal) =>
            [.. Catalog.PropValues[dimension["event:props:".Length..]], .. _random.NextDouble() < 0.2 ? new[] { "(none)" } : []],
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "no values for it"),
    };

    /// <summary>Presets relative to a "date" inside the data, day ranges around it (some empty), and whole-hour datetime ranges.</summary>
    private QueryRange Range(bool hourly)
    {
        var roll = _random.NextDouble();
        var date = firstDay.AddDays(_random.Next(-1, days + 1));
        if (roll < 0.3)
        {
            return QueryRange.OfPreset(_random.Pick(["day", "7d", "28d", "30d", "month"]), date);
        }

        if (roll < 0.8 || !hourly && roll < 0.9)
        {
            var first = firstDay.AddDays(_random.Next(-2, days));
            return QueryRange.OfDays(first, first.AddDays(_random.Next(0, hourly ? 4 : days)));
        }

        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(_random.Next(0, days * 24 - 6));
        return QueryRange.OfHours(from, from.AddHours(_random.Next(0, 72)));
    }
}
