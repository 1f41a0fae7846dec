using Microsoft.Extensions.Options;

namespace Analytics.Sqlite.Streams;

/// <summary>Fails silo start-up on settings that would only show up later as a stalled or wedged lane.</summary>
public sealed class SqliteStreamOptionsValidator(SqliteStreamOptions options, string name) : IConfigurationValidator
{
    public static IConfigurationValidator Create(IServiceProvider services, string name) =>
        new SqliteStreamOptionsValidator(services.GetRequiredService<IOptionsMonitor<SqliteStreamOptions>>().Get(name), name);

    public void ValidateConfiguration()
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid {nameof(SqliteStreamOptions)} for stream provider '{name}': {string.Join("; ", errors)}");
        }
    }

    public static IReadOnlyList<string> Validate(SqliteStreamOptions options)
    {
        var errors = new List<string>();
        if (options.BatchSize < 1) errors.Add($"{nameof(options.BatchSize)} must be at least 1");
        // Orleans' cache signals back pressure at ten buckets of a tenth of its size; a smaller cache would overflow first.
        if (options.CacheSize < 10) errors.Add($"{nameof(options.CacheSize)} must be at least 10");
        // The cache releases a batch once no consumer's cursor is in its bucket (a tenth of the cache); a lane's cursor stays
        // on its last delivered batch until the next one is there, so fewer in flight than a bucket and one would stall.
        if (options.ReadAhead < Math.Max(options.CacheSize / 10, 1) + 1) errors.Add($"{nameof(options.ReadAhead)} must be above a tenth of {nameof(options.CacheSize)} and at least 2");
        if (options.PollTimeout < TimeSpan.Zero || options.PollTimeout > TimeSpan.FromSeconds(10)) errors.Add($"{nameof(options.PollTimeout)} must be between 0 and 10 s");
        if (options.PullPeriod <= TimeSpan.Zero || options.PullPeriod > TimeSpan.FromSeconds(10)) errors.Add($"{nameof(options.PullPeriod)} must be above 0 and at most 10 s");
        if (options.Linger < TimeSpan.Zero || options.Linger > TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.Linger)} must be between 0 and 1 s");
        if (options.MaxEventDeliveryTime < TimeSpan.FromSeconds(1)) errors.Add($"{nameof(options.MaxEventDeliveryTime)} must be at least 1 s");
        if (options.CheckpointInterval < TimeSpan.Zero) errors.Add($"{nameof(options.CheckpointInterval)} must not be negative");
        return errors;
    }
}
