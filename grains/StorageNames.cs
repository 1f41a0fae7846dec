namespace Analytics.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every analytics grain persists to: SQLite when embedded, Cassandra in a cluster.</summary>
    public const string Analytics = "analytics";
}
