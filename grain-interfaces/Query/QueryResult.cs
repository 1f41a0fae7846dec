namespace Analytics.GrainInterfaces.Query;

[GenerateSerializer, Immutable, Alias("QueryResult")]
public sealed record QueryResult(
    [property: Id(0)] IReadOnlyList<QueryResultRow> Rows,
    [property: Id(1)] int TotalRows);

[GenerateSerializer, Immutable, Alias("QueryResultRow")]
public sealed record QueryResultRow(
    [property: Id(0)] IReadOnlyList<string> Dimensions,
    [property: Id(1)] IReadOnlyList<double> Metrics);
