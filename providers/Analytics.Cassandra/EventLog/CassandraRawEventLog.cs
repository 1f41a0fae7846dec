using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.EventLog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Cassandra.EventLog;

/// <summary>
/// The cluster profile's raw event archive:
/// <c>events(site text, day text, ts timestamp, id uuid, visitor text, envelope blob, PRIMARY KEY ((site, day), ts, id))</c>.
/// <para>
/// <c>day</c> is the event's <b>UTC</b> day (yyyy-MM-dd), not the site's local day: the partition of an event must not
/// depend on a setting that can change (the site's time zone) nor fold under DST. A local date range maps to at most
/// one extra UTC day on each side (<see cref="UtcDaysCovering"/>). A partition is one site-day, so a busy site spreads
/// over the ring day by day and a day reads back in (ts, id) order with one paged query.
/// </para>
/// <para>
/// The envelope is the versioned JSON of the Kafka message with <c>received_at</c> set to the event time, so that a
/// re-append writes byte-identical cells: same key, same row. Appends are plain INSERTs (no lightweight transaction),
/// idempotent and retried as such.
/// </para>
/// </summary>
public sealed class CassandraRawEventLog : IRawEventLog, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private const string DayFormat = "yyyy-MM-dd";

    private readonly CassandraRawEventLogOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _table;
    private readonly string _insert;
    private readonly string _select;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private Task[] _writers = [];
    private ICqlSession? _session;

    public CassandraRawEventLog(CassandraRawEventLogOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<CassandraRawEventLog>();
        _table = $"\"{options.Keyspace}\".\"{options.Table}\"";
        var ttl = options.Ttl is { } t ? $" USING TTL {(long)t.TotalSeconds}" : "";
        _insert = $"INSERT INTO {_table} (site, day, ts, id, visitor, envelope) VALUES (?, ?, ?, ?, ?, ?){ttl}";
        _select = $"SELECT envelope FROM {_table} WHERE site = ? AND day = ?";
    }

    /// <summary>Starts before the stream agents deliver and stops after they have (ApplicationServices stage).</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CassandraRawEventLog), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    /// <summary>Connects, creates the schema if asked, starts the group-commit writers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Ttl is { } ttl && (ttl < TimeSpan.FromSeconds(1) || ttl.TotalSeconds > 630_720_000))
        {
            throw new ArgumentOutOfRangeException(nameof(_options.Ttl), ttl, "A TTL is between 1 second and 20 years.");
        }
        if (_options.MaxBatchRows < 1 || _options.Writers < 1 || _options.MaxRowsPerFlush < 1)
        {
            throw new ArgumentException("MaxBatchRows, Writers and MaxRowsPerFlush must be positive.");
        }
        var session = await CqlSessions.OpenAsync(_options.Client, _loggerFactory, _options.Keyspace, _options.Replication,
            _options.CreateSchema ? [Schema] : null, cancellationToken).ConfigureAwait(false);
        _session = session;
        _writers = [.. Enumerable.Range(0, _options.GroupCommit ? _options.Writers : 0).Select(_ => Task.Run(WriteLoopAsync))];
        _logger.LogInformation("Raw event log ready on {Keyspace}.{Table} (ttl {Ttl})", _options.Keyspace, _options.Table, _options.Ttl?.ToString() ?? "none");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let queued appends finish: their grains are waiting for them.
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public Task AppendAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }
        var session = Session; // throws when not started, rather than queueing for writers that do not exist
        if (!_options.GroupCommit)
        {
            return Task.WhenAll(events.Select(e => session.ExecuteAsync(InsertOf(e), cancellationToken)));
        }
        var pending = new Pending(events);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The raw event log is stopped.");
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The events of one site on one UTC day, in (ts, id) order.</summary>
    public async IAsyncEnumerable<TrackedEvent> ReadDayAsync(string site, DateOnly utcDay, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var statement = new CqlStatement(_select, site, utcDay.ToString(DayFormat, CultureInfo.InvariantCulture))
        {
            Prepare = true,
            IsIdempotent = true,
            PageSize = _options.ReadPageSize,
            Consistency = _options.ReadConsistency,
        };
        await foreach (var row in Session.QueryAllAsync(statement, cancellationToken).ConfigureAwait(false))
        {
            yield return EventEnvelope.FromUtf8Bytes(row.GetBytes("envelope")).Event;
        }
    }

    /// <summary>The events of a site with <paramref name="fromUtc"/> ≤ time &lt; <paramref name="toUtc"/>, in (ts, id) order.</summary>
    public async IAsyncEnumerable<TrackedEvent> ReadRangeAsync(string site, DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var day in UtcDaysCovering(fromUtc, toUtc))
        {
            await foreach (var e in ReadDayAsync(site, day, cancellationToken).ConfigureAwait(false))
            {
                if (e.Timestamp >= fromUtc && e.Timestamp < toUtc)
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>Deletes the site's partitions of the given UTC days (a DELETE of a partition that holds nothing is cheap).</summary>
    public Task DeleteDaysAsync(string site, IEnumerable<DateOnly> utcDays, CancellationToken cancellationToken) =>
        Task.WhenAll(utcDays.Select(day => Session.ExecuteAsync(
            new CqlStatement($"DELETE FROM {_table} WHERE site = ? AND day = ?", site, day.ToString(DayFormat, CultureInfo.InvariantCulture))
            {
                Prepare = true,
                IsIdempotent = true,
                Consistency = _options.WriteConsistency,
            }, cancellationToken)));

    /// <summary>The UTC days (partitions) holding the events of [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    public static IEnumerable<DateOnly> UtcDaysCovering(DateTime fromUtc, DateTime toUtc)
    {
        for (var day = DateOnly.FromDateTime(fromUtc); day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) < toUtc; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    public static string DayOf(DateTime utc) => utc.ToString(DayFormat, CultureInfo.InvariantCulture);

    private ICqlSession Session => _session ?? throw new InvalidOperationException("The raw event log is not started.");

    private CqlStatement InsertOf(TrackedEvent e) => new(_insert, Values(e))
    {
        Prepare = true,
        IsIdempotent = true,
        Consistency = _options.WriteConsistency,
    };

    private static object?[] Values(TrackedEvent e)
    {
        var utc = e.Timestamp.Kind == DateTimeKind.Local ? e.Timestamp.ToUniversalTime() : DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc);
        return [e.Site, DayOf(utc), utc, e.Id, e.VisitorId, EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes()];
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var taken = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            taken.Clear();
            var rows = 0;
            while (rows < _options.MaxRowsPerFlush && reader.TryRead(out var pending))
            {
                taken.Add(pending);
                rows += pending.Events.Count;
            }
            if (taken.Count == 0)
            {
                continue;
            }
            try
            {
                await FlushAsync(taken).ConfigureAwait(false);
                foreach (var p in taken)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // Every caller of this flush fails and redelivers; the rows that did land are rewritten harmlessly.
                foreach (var p in taken)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    private Task FlushAsync(List<Pending> taken)
    {
        var partitions = new Dictionary<(string Site, string Day), List<object?[]>>();
        var seen = new HashSet<Guid>();
        foreach (var p in taken)
        {
            foreach (var e in p.Events)
            {
                if (!seen.Add(e.Id))
                {
                    continue;
                }
                var values = Values(e);
                var key = ((string)values[0]!, (string)values[1]!);
                if (!partitions.TryGetValue(key, out var list))
                {
                    list = [];
                    partitions[key] = list;
                }
                list.Add(values);
            }
        }
        var writes = new List<Task>();
        foreach (var rows in partitions.Values)
        {
            for (var i = 0; i < rows.Count; i += _options.MaxBatchRows)
            {
                writes.Add(Session.ExecuteAsync(BatchOf(rows.GetRange(i, Math.Min(_options.MaxBatchRows, rows.Count - i)))));
            }
        }
        return Task.WhenAll(writes);
    }

    /// <summary>
    /// An unlogged batch of rows of one partition, as one prepared CQL text per row count (the client speaks QUERY and
    /// EXECUTE; a batch in CQL text reuses its preparing, retrying and re-preparing). Single-partition, so the server
    /// applies it as one mutation: no batch log needed.
    /// </summary>
    private CqlStatement BatchOf(List<object?[]> rows)
    {
        if (rows.Count == 1)
        {
            return new CqlStatement(_insert, rows[0]) { Prepare = true, IsIdempotent = true, Consistency = _options.WriteConsistency };
        }
        var cql = new StringBuilder("BEGIN UNLOGGED BATCH\n");
        var values = new object?[rows.Count * 6];
        for (var i = 0; i < rows.Count; i++)
        {
            cql.Append(_insert).Append(";\n");
            rows[i].CopyTo(values, i * 6);
        }
        cql.Append("APPLY BATCH");
        return new CqlStatement(cql.ToString(), values) { Prepare = true, IsIdempotent = true, Consistency = _options.WriteConsistency };
    }

    private string Schema => $"""
        CREATE TABLE IF NOT EXISTS {_table} (
            site text, day text, ts timestamp, id uuid, visitor text, envelope blob,
            PRIMARY KEY ((site, day), ts, id))
        WITH CLUSTERING ORDER BY (ts ASC, id ASC)
        """;

    private sealed record Pending(IReadOnlyList<TrackedEvent> Events)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
