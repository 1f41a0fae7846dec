namespace Analytics.GrainInterfaces.Query;

/// <summary>The time dimension of a query: time:hour, time:day, time:week (weeks start on Monday), time:month.</summary>
public enum TimeGranularity
{
    Hour,
    Day,
    Week,
    Month,
}
