using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Funnels;

/// <summary>
/// A funnel computed over a range, in Plausible's terms: the visitors of the range, those entering the funnel (step 1)
/// and, per step, its visitors, conversion from step 1 and from the step before, and the drop-off from the step before.
/// Percentages have two decimals.
/// </summary>
public sealed record FunnelReport(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("date_range")] IReadOnlyList<string> DateRange,
    [property: JsonPropertyName("all_visitors")] long AllVisitors,
    [property: JsonPropertyName("entering_visitors")] long EnteringVisitors,
    [property: JsonPropertyName("entering_visitors_percentage")] double EnteringVisitorsPercentage,
    [property: JsonPropertyName("never_entering_visitors")] long NeverEnteringVisitors,
    [property: JsonPropertyName("never_entering_visitors_percentage")] double NeverEnteringVisitorsPercentage,
    [property: JsonPropertyName("steps")] IReadOnlyList<FunnelStepReport> Steps)
{
    public static FunnelReport From(FunnelResponse funnel, IReadOnlyList<string> dateRange, FunnelResult result)
    {
        var steps = new List<FunnelStepReport>(funnel.Steps.Count);
        var entering = result.StepVisitors.Count > 0 ? result.StepVisitors[0] : 0;
        for (var s = 0; s < funnel.Steps.Count; s++)
        {
            var visitors = result.StepVisitors[s];
            var previous = s == 0 ? (long?)null : result.StepVisitors[s - 1];
            var dropoff = previous is { } p ? p - visitors : 0;
            steps.Add(new FunnelStepReport(
                funnel.Steps[s].GoalId,
                funnel.Steps[s].Label,
                visitors,
                Percent(visitors, entering),
                previous is { } before ? Percent(visitors, before) : Percent(visitors, entering),
                dropoff,
                previous is { } last ? Percent(dropoff, last) : 0));
        }

        var never = result.AllVisitors - entering;
        return new FunnelReport(funnel.Id, funnel.Name, dateRange, result.AllVisitors, entering, Percent(entering, result.AllVisitors),
            never, Percent(never, result.AllVisitors), steps);
    }

    /// <summary>part / whole × 100, two decimals, half away from zero; 0 when either is 0 (Plausible's funnel percentages).</summary>
    private static double Percent(long part, long whole) =>
        part == 0 || whole == 0 ? 0 : (double)Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);
}

public sealed record FunnelStepReport(
    [property: JsonPropertyName("goal_id")] long GoalId,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("visitors")] long Visitors,
    [property: JsonPropertyName("conversion_rate")] double ConversionRate,
    [property: JsonPropertyName("conversion_rate_step")] double ConversionRateStep,
    [property: JsonPropertyName("dropoff")] long Dropoff,
    [property: JsonPropertyName("dropoff_percentage")] double DropoffPercentage);
