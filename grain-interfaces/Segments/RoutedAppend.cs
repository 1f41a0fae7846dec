namespace Analytics.GrainInterfaces.Segments;

/// <summary>An append on its way to the segment it belongs to (<see cref="Segment"/> is a <see cref="SegmentKey"/> string).</summary>
[GenerateSerializer, Immutable, Alias("RoutedAppend")]
public sealed record RoutedAppend([property: Id(0)] string Segment, [property: Id(1)] SegmentAppend Append);
