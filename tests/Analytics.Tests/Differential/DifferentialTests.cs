using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.GrainInterfaces.Query;
using Xunit.Abstractions;

namespace Analytics.Tests.Differential;

/// <summary>
/// The differential test of issue #14: the same generated events answered by our Stats API v2 and by SQL written
/// independently over PostgreSQL (<see cref="SessionizationSql"/>, <see cref="SqlTranslator"/>). Needs the PostgreSQL of
/// scripts/services.sh; fails without it when ANALYTICS_REQUIRE_SERVICES=1.
/// </summary>
public sealed class DifferentialTests(DifferentialFixture fixture, ITestOutputHelper output) : IClassFixture<DifferentialFixture>
{
    private const int RandomQueries = 300;

    private static readonly string[] SessionTotals =
        [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate, MetricNames.VisitDuration, MetricNames.ViewsPerVisit];

    [Fact]
    public async Task Daily_totals_agree_with_sessions_computed_in_sql()
    {
        if (!fixture.Available)
        {
            return;
        }

        var failures = new List<string>();
        foreach (var site in DifferentialFixture.Sites)
        {
            var range = QueryRange.OfDays(DifferentialFixture.FirstDay, DifferentialFixture.FirstDay.AddDays(DifferentialFixture.Days - 1));
            var query = new DifferentialQuery(0, site, SessionTotals, ["time:day"], [], range, []);
            if (await RunAsync(query) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Randomized_queries_agree_with_postgresql()
    {
        if (!fixture.Available)
        {
            return;
        }

        var generator = new QueryGenerator(DifferentialFixture.Seed, DifferentialFixture.Sites, DifferentialFixture.FirstDay, DifferentialFixture.Days);
        var classes = new QueryClasses();
        var failures = new List<string>();
        for (var i = 1; i <= RandomQueries; i++)
        {
            var query = generator.Next(i);
            var failure = await RunAsync(query);
            classes.Record(query, failure is null);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        var report = $"{RandomQueries - failures.Count} of {RandomQueries} queries agree (seed {DifferentialFixture.Seed}, {fixture.EventCount} events, " +
            string.Create(CultureInfo.InvariantCulture, $"tracked in {fixture.TrackTime.TotalSeconds:0.0} s, all counted after {fixture.IngestTime.TotalSeconds:0.0} s)\n\n") + classes.Report();
        output.WriteLine(report);
        var file = Path.Combine(Path.GetTempPath(), "analytics-differential-report.txt");
        await File.WriteAllTextAsync(file, report + "\n\n" + string.Join("\n\n", failures));
        Assert.True(failures.Count == 0, $"{report}\n\nFirst mismatches (all in {file}):\n\n{string.Join("\n\n", failures.Take(5))}");
    }

    /// <summary>Our answer and PostgreSQL's for one query; null when they agree, else everything needed to see why.</summary>
    private async Task<string?> RunAsync(DifferentialQuery query)
    {
        var sql = SqlTranslator.Translate(query);
        var expected = await fixture.Postgres.RowsAsync(sql, query.Dimensions.Count, query.Metrics);
        using var response = await fixture.Http.PostAsJsonAsync("/api/v2/query", query.Body);
        var answer = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return AnswerComparer.Describe(query, sql, $"ours answered {(int)response.StatusCode}", answer, expected);
        }

        using var document = JsonDocument.Parse(answer);
        return AnswerComparer.Compare(query, document.RootElement, expected) is { } problem
            ? AnswerComparer.Describe(query, sql, problem, answer, expected)
            : null;
    }
}
