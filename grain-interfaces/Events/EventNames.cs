namespace Analytics.GrainInterfaces.Events;

public static class EventNames
{
    public const string Pageview = "pageview";
    public const string Engagement = "engagement";
}
