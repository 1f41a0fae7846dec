using Analytics.Grains.Segments;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Segments;

/// <summary>The start-up warm-up (<see cref="SegmentWarmUp"/>): its questions find rows in its made-up segment, read back from its archive.</summary>
public sealed class SegmentWarmUpTests
{
    [Fact]
    public void Every_question_finds_rows_and_reads_the_same_from_the_archive_as_from_the_built_segment()
    {
        var built = SegmentWarmUp.Build();
        var read = Segment.Read(built.Write());

        foreach (var question in SegmentWarmUp.Questions())
        {
            var expected = built.Scan(question).ToResult(question);
            var actual = read.Scan(question).ToResult(question);

            // A question without rows would leave its path cold.
            Assert.NotEmpty(expected.Rows);
            Assert.Contains(expected.Rows, r => r.Metrics.Any(m => m > 0));
            Assert.Equal(Lines(expected), Lines(actual));
        }
    }

    [Fact]
    public void The_made_up_day_has_the_visitors_visits_and_pageviews_its_rows_give()
    {
        var segment = SegmentWarmUp.Build();
        var aggregate = SegmentWarmUp.Questions().First();

        var metrics = segment.Scan(aggregate).ToResult(aggregate).Rows.Single().Metrics;

        // 300 visitors with 1 + visitor % 3 visits each: 100 × 1 + 100 × 2 + 100 × 3.
        Assert.Equal(300, metrics[0]);
        Assert.Equal(600, metrics[1]);
        Assert.Equal(segment.Events.Name.Codes.ToArray().Count(c => c == segment.Events.Name.CodeOf("pageview")), metrics[2]);
    }

    [Fact]
    public async Task It_answers_every_question_each_round_and_a_cancelled_start_stops_it()
    {
        Assert.Equal(40 * SegmentWarmUp.Questions().Count(), SegmentWarmUp.Run());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SegmentWarmUp(Options.Create(new SegmentOptions()), NullLogger<SegmentWarmUp>.Instance).StartAsync(cancelled.Token));
    }

    private static string[] Lines(Analytics.GrainInterfaces.Query.QueryResult result) =>
        [.. result.Rows.Select(r => string.Join(",", r.Dimensions) + "=" + string.Join(",", r.Metrics))];
}
