using Microsoft.Extensions.Options;

namespace Analytics.Cql;

/// <summary>Rejects unusable client settings at start rather than at the first query.</summary>
public static class CassandraClientOptionsValidator
{
    public static IReadOnlyList<string> Validate(CassandraClientOptions options)
    {
        var errors = new List<string>();
        if (options.ContactPoints.Count == 0)
        {
            errors.Add("ContactPoints must name at least one host:port.");
        }
        foreach (var point in options.ContactPoints)
        {
            try
            {
                CqlEndpoint.Parse(point);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                errors.Add($"ContactPoints: {e.Message}");
            }
        }
        if (options.Keyspace is { } keyspace && !CqlIdentifier.IsValid(keyspace))
        {
            errors.Add($"Keyspace '{keyspace}' must be a plain identifier (letters, digits, underscore; at most 48).");
        }
        if (options.ConnectTimeout <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("ConnectTimeout and RequestTimeout must be positive.");
        }
        if (options.PoolSize is < 1 or > 64)
        {
            errors.Add("PoolSize must be between 1 and 64.");
        }
        if (options.MaxRequestsPerConnection is < 1 or > 32768)
        {
            errors.Add("MaxRequestsPerConnection must be between 1 and 32768.");
        }
        if (options.DefaultConsistency is CqlConsistency.Serial or CqlConsistency.LocalSerial)
        {
            errors.Add("DefaultConsistency cannot be a serial level; set SerialConsistency per statement.");
        }
        if (options.MaxRetries < 0 || options.RetryBaseDelay < TimeSpan.Zero || options.CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add("MaxRetries and RetryBaseDelay must not be negative; CircuitBreakDuration must be at least 0.5 s.");
        }
        return errors;
    }

    public static void ThrowIfInvalid(CassandraClientOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(CassandraClientOptions), typeof(CassandraClientOptions), errors);
        }
    }
}
