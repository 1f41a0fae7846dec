using Analytics.Cql;

namespace Analytics.Cassandra.Storage;

/// <summary>Checks shared by the Cassandra stores that create their own keyspace and tables.</summary>
public static class CassandraSchemaValidation
{
    public static IEnumerable<string> Validate(CassandraClientOptions client, string keyspace, string replication, params string[] tables)
    {
        foreach (var error in CassandraClientOptionsValidator.Validate(client))
        {
            yield return $"Client: {error}";
        }
        if (client.Keyspace is not null)
        {
            yield return "Client.Keyspace must be unset; set Keyspace instead (it may not exist before the provider creates it).";
        }
        if (!CqlIdentifier.IsValid(keyspace) || !tables.All(CqlIdentifier.IsValid))
        {
            yield return "Keyspace and table names must be plain identifiers (letters, digits, underscore; at most 48).";
        }
        var map = replication.Trim();
        if (!map.StartsWith('{') || !map.EndsWith('}') || map.Contains(';', StringComparison.Ordinal))
        {
            yield return "Replication must be a CQL map literal such as {'class': 'SimpleStrategy', 'replication_factor': 1}.";
        }
    }
}
