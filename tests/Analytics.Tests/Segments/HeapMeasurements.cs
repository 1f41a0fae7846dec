namespace Analytics.Tests.Segments;

/// <summary>Tests that measure the managed heap (GC.GetTotalMemory) run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(HeapMeasurements), DisableParallelization = true)]
public sealed class HeapMeasurements;
