namespace Analytics.GrainInterfaces.Query;

/// <summary>
/// A Stats API v2 filter, as a tree: <see cref="AndFilter"/>, <see cref="OrFilter"/>, <see cref="NotFilter"/> over
/// <see cref="DimensionFilter"/> leaves and <see cref="HasDoneFilter"/>. A query's top-level list of filters is an
/// <see cref="AndFilter"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("FilterExpression")]
public abstract record FilterExpression;
