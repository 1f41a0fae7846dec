using System.Globalization;
using System.Text.Json;
using Analytics.GrainInterfaces.Events;
using Analytics.Testing;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Tests.Differential;

/// <summary>
/// The generated events in the real PostgreSQL of scripts/services.sh, in a schema of their own (dropped at the end),
/// sessionized there by <see cref="SessionizationSql"/>.
/// </summary>
public sealed class PostgresEvents : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _schema;

    private PostgresEvents(NpgsqlDataSource source, string schema)
    {
        _source = source;
        _schema = schema;
    }

    public static async Task<PostgresEvents> LoadAsync(IEnumerable<VisitorStream> streams)
    {
        var schema = "diff_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(ServiceEndpoints.PostgresConnectionString) { SearchPath = schema, CommandTimeout = 120 };
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        var events = new PostgresEvents(source, schema);
        await events.ExecuteAsync($"CREATE SCHEMA {schema}");
        await events.ExecuteAsync(SessionizationSql.Schema);
        await events.CopyAsync(streams);
        await events.ExecuteAsync(SessionizationSql.Sessionize);
        return events;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Rows as (dimension values, metric values) read by column name: k0..kN text, then the named numeric columns.</summary>
    public async Task<List<(string[] Dimensions, decimal?[] Metrics)>> RowsAsync(string sql, int dimensions, IReadOnlyList<string> metricColumns)
    {
        var rows = new List<(string[], decimal?[])>();
        await using var command = _source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var keys = new string[dimensions];
            for (var i = 0; i < dimensions; i++)
            {
                keys[i] = reader.GetString(reader.GetOrdinal("k" + i.ToString(CultureInfo.InvariantCulture)));
            }

            var metrics = new decimal?[metricColumns.Count];
            for (var i = 0; i < metricColumns.Count; i++)
            {
                var ordinal = reader.GetOrdinal(metricColumns[i]);
                metrics[i] = reader.IsDBNull(ordinal) ? null : Convert.ToDecimal(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
            }

            rows.Add((keys, metrics));
        }

        return rows;
    }

    private async Task CopyAsync(IEnumerable<VisitorStream> streams)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY ev (site, visitor, arrival, id, ts, name, pathname, hostname, referrer, source, utm_source, utm_medium, utm_campaign, utm_content, utm_term, " +
            "country, region, city, device, browser, browser_version, os, os_version, screen, interactive, engagement_ms, scroll_depth, props, revenue, currency) FROM STDIN (FORMAT BINARY)");
        foreach (var stream in streams)
        {
            var arrival = 0;
            foreach (var e in stream.Events)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(e.Site, NpgsqlDbType.Text);
                await copy.WriteAsync(e.VisitorId, NpgsqlDbType.Text);
                await copy.WriteAsync(arrival++, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                foreach (var text in Texts(e))
                {
                    await (text is null ? copy.WriteNullAsync() : copy.WriteAsync(text, NpgsqlDbType.Text));
                }

                await copy.WriteAsync(e.Interactive, NpgsqlDbType.Boolean);
                await copy.WriteAsync(e.EngagementMs, NpgsqlDbType.Bigint);
                await (e.ScrollDepth is { } depth ? copy.WriteAsync(depth, NpgsqlDbType.Integer) : copy.WriteNullAsync());
                await (e.Props is { } props ? copy.WriteAsync(JsonSerializer.Serialize(props), NpgsqlDbType.Jsonb) : copy.WriteNullAsync());
                await (e.RevenueAmount is { } amount ? copy.WriteAsync(amount, NpgsqlDbType.Numeric) : copy.WriteNullAsync());
                await (e.RevenueCurrency is { } currency ? copy.WriteAsync(currency, NpgsqlDbType.Text) : copy.WriteNullAsync());
            }
        }

        await copy.CompleteAsync();
    }

    private static string?[] Texts(TrackedEvent e) =>
    [
        e.Name, e.Pathname, e.Hostname, e.Referrer, e.Source, e.UtmSource, e.UtmMedium, e.UtmCampaign, e.UtmContent, e.UtmTerm,
        e.Country, e.Region, e.City, e.Device, e.Browser, e.BrowserVersion, e.Os, e.OsVersion, e.ScreenSize,
    ];

    /// <summary>Drops the schema, unless ANALYTICS_DIFF_KEEP=1 asks to keep it for a look at a mismatch with psql.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Environment.GetEnvironmentVariable("ANALYTICS_DIFF_KEEP") == "1")
            {
                Console.Error.WriteLine($"Kept the differential test's events in PostgreSQL schema {_schema}.");
                return;
            }

            await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }
        finally
        {
            await _source.DisposeAsync();
        }
    }
}
