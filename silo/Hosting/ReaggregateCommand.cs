using System.Globalization;
using Analytics.Abstractions.Hosting;
using Analytics.Cassandra.EventLog;
using Analytics.Grains.EventLog;
using Analytics.Grains.Reaggregation;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Analytics.Silo.Hosting;

/// <summary>
/// <c>Analytics.Silo reaggregate --site example.com --from 2026-01-01 --to 2026-01-31 [--margin 1.00:00:00]</c>:
/// rebuilds a site's segments from the raw event log, in either profile. Runs as an Orleans client of the running silos
/// (same configuration as a silo: cluster: Analytics:Cluster, Analytics:Cassandra, Analytics:RawEventLog; embedded:
/// Analytics:Sqlite:DataDirectory and Analytics:Orleans:GatewayPort), so the writes go through the live segment activations.
/// </summary>
public static class ReaggregateCommand
{
    public const string Name = "reaggregate";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args)
    {
        string? site = null;
        DateOnly? from = null, to = null;
        var margin = TimeSpan.FromDays(1);
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--site" when i + 1 < args.Length: site = args[++i]; break;
                case "--from" when i + 1 < args.Length: from = ParseDate(args[++i]); break;
                case "--to" when i + 1 < args.Length: to = ParseDate(args[++i]); break;
                case "--margin" when i + 1 < args.Length: margin = TimeSpan.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: rest.Add(args[i]); break; // configuration overrides, e.g. --Analytics:Cassandra:Keyspace=x
            }
        }
        if (site is null || from is null || to is null)
        {
            await Console.Error.WriteLineAsync($"usage: {Name} --site <domain> --from yyyy-MM-dd --to yyyy-MM-dd [--margin d.hh:mm:ss] (site-local days, inclusive)");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder([.. rest]);
        var isCluster = builder.Configuration.IsCluster();
        builder.UseOrleansClient(client =>
        {
            if (isCluster)
            {
                var cluster = builder.Configuration.GetSection(ClusterProfileOptions.SectionName).Get<ClusterProfileOptions>() ?? new();
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                client.UseRedisClustering(cluster.RedisConnectionString);
            }
            else
            {
                client.UseLocalhostClustering(builder.Configuration.GetSection("Analytics:Orleans").GetValue("GatewayPort", 30000));
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await using var log = await OpenLogAsync(isCluster, builder.Configuration, builder.Environment, host.Services.GetRequiredService<ILoggerFactory>());
            var result = await new Reaggregator(log.Log, host.Services.GetRequiredService<IGrainFactory>(),
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<Reaggregator>())
            {
                Margin = margin,
            }.RunAsync(site, from.Value, to.Value);
            Console.WriteLine(FormattableString.Invariant(
                $"reaggregated {result.Site} {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}: {result.EventsRead} events read, {result.SegmentsWritten} segments rebuilt ({result.SegmentsWithData} with data) in {result.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The profile's raw event log, opened for reading: Cassandra's, or the embedded data directory's events.db.</summary>
    private static async Task<OpenedLog> OpenLogAsync(bool isCluster, IConfiguration configuration, IHostEnvironment environment, ILoggerFactory loggers)
    {
        if (isCluster)
        {
            var cassandra = new CassandraRawEventLog(RawEventLogOptions(configuration), loggers);
            await cassandra.StartAsync(CancellationToken.None);
            return new OpenedLog(cassandra, cassandra);
        }

        var storage = configuration.GetSection(SqliteStorageOptions.SectionName).Get<SqliteStorageOptions>() ?? new();
        storage.DataDirectory = Path.GetFullPath(storage.DataDirectory, environment.ContentRootPath);
        var sqlite = new SqliteEventLog(Options.Create(storage), Options.Create(configuration.GetSection(EventLogOptions.SectionName).Get<EventLogOptions>() ?? new()));
        return new OpenedLog(new SqliteRawEventLog(sqlite), sqlite);
    }

    /// <summary>A log to read from and what to dispose when done.</summary>
    private sealed record OpenedLog(IRawEventLog Log, IAsyncDisposable Owner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owner.DisposeAsync();
    }

    /// <summary>Connection and keyspace from Analytics:Cassandra (shared with grain storage), table and TTL from Analytics:RawEventLog.</summary>
    public static CassandraRawEventLogOptions RawEventLogOptions(IConfiguration configuration)
    {
        var options = new CassandraRawEventLogOptions();
        configuration.GetSection(ClusterSiloExtensions.CassandraSection).Bind(options);
        configuration.GetSection(CassandraRawEventLogOptions.SectionName).Bind(options);
        return options;
    }

    private static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
