using Analytics.Sqlite.Streams;

namespace Analytics.Tests.Streams;

public sealed class SqliteStreamOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(SqliteStreamOptionsValidator.Validate(new SqliteStreamOptions()));

    [Fact]
    public void Every_bad_setting_is_reported_and_fails_silo_start_with_the_provider_name()
    {
        var options = new SqliteStreamOptions
        {
            BatchSize = 0,
            CacheSize = 9,
            PollTimeout = TimeSpan.FromMinutes(1),
            PullPeriod = TimeSpan.Zero,
            Linger = TimeSpan.FromSeconds(2),
            MaxEventDeliveryTime = TimeSpan.Zero,
            CheckpointInterval = TimeSpan.FromSeconds(-1),
            ReadAhead = 1,
        };

        var errors = SqliteStreamOptionsValidator.Validate(options);

        foreach (var name in new[] { "BatchSize", "CacheSize", "PollTimeout", "PullPeriod", "Linger", "MaxEventDeliveryTime", "CheckpointInterval", "ReadAhead" })
        {
            Assert.Contains(errors, e => e.StartsWith(name, StringComparison.Ordinal));
        }

        // A read-ahead within one bucket of the agent's cache would never see its last batch released.
        Assert.Contains(SqliteStreamOptionsValidator.Validate(new SqliteStreamOptions { CacheSize = 40, ReadAhead = 4 }), e => e.StartsWith("ReadAhead", StringComparison.Ordinal));
        Assert.Empty(SqliteStreamOptionsValidator.Validate(new SqliteStreamOptions { CacheSize = 40, ReadAhead = 5 }));

        var error = Assert.Throws<OrleansConfigurationException>(new SqliteStreamOptionsValidator(options, "events").ValidateConfiguration);
        Assert.Contains("'events'", error.Message);
    }
}
