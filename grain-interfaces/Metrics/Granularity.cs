namespace Analytics.GrainInterfaces.Metrics;

public enum Granularity : byte
{
    /// <summary>UTC minutes; totals and visitors only, for realtime.</summary>
    Minute = 0,
    /// <summary>UTC hours.</summary>
    Hour = 1,
    /// <summary>Calendar days in the site's time zone.</summary>
    Day = 2,
}
