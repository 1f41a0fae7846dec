using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.Grains.EventLog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Cassandra.EventLog;

/// <summary>
/// The cluster profile's raw event archive:
/// <c>event_blocks(site text, day text, first_ts timestamp, block uuid, data blob, PRIMARY KEY ((site, day), first_ts, block))</c>,
/// a row per block of events (<see cref="CassandraEventBlock"/>).
/// <para>
/// <c>day</c> is the event's <b>UTC</b> day (yyyy-MM-dd), not the site's local day: the partition of an event must not
/// depend on a setting that can change (the site's time zone) nor fold under DST. A local date range maps to at most
/// one extra UTC day on each side (<see cref="UtcDaysCovering"/>). A partition is one site-day, so a busy site spreads
/// over the ring day by day.
/// </para>
/// <para>
/// A flush writes each site-day's events as blocks of at most <see cref="CassandraRawEventLogOptions.MaxBlockEvents"/>
/// spanning at most <see cref="CassandraRawEventLogOptions.MaxBlockSpan"/>, sorted and without duplicates, keyed by their
/// first millisecond and a hash of their ids: the same events gathered the same way rewrite the same row (an envelope's
/// <c>received_at</c> is its event's time, so they pack to the same bytes), and an event appended again in another
/// block (a redelivery gathered with other lanes' events) is read once. A day reads back in (millisecond, id) order,
/// merging the blocks as they come in <c>first_ts</c> order.
/// </para>
/// <para>
/// Builds before the blocks wrote a row per event to <c>events</c> (<see cref="CassandraRawEventLogOptions.Table"/>): it
/// is still read (merged into the same order) and erased, never written.
/// </para>
/// </summary>
public sealed class CassandraRawEventLog : IRawEventLog, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private const string DayFormat = "yyyy-MM-dd";

    private readonly CassandraRawEventLogOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _rows;
    private readonly string _blocks;
    private readonly string _insert;
    private readonly string _selectRows;
    private readonly string _selectBlocks;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private Task[] _writers = [];
    private ICqlSession? _session;

    public CassandraRawEventLog(CassandraRawEventLogOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<CassandraRawEventLog>();
        _rows = $"\"{options.Keyspace}\".\"{options.Table}\"";
        _blocks = $"\"{options.Keyspace}\".\"{options.BlockTable}\"";
        var ttl = options.Ttl is { } t ? $" USING TTL {(long)t.TotalSeconds}" : "";
        _insert = $"INSERT INTO {_blocks} (site, day, first_ts, block, data) VALUES (?, ?, ?, ?, ?){ttl}";
        _selectRows = $"SELECT envelope FROM {_rows} WHERE site = ? AND day = ?";
        _selectBlocks = $"SELECT first_ts, data FROM {_blocks} WHERE site = ? AND day = ?";
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
        if (_options.MaxBlockEvents < 1 || _options.Writers < 1 || _options.MaxRowsPerFlush < 1 || _options.BlockReadPageSize < 1
            || _options.MaxBlockSpan < TimeSpan.Zero)
        {
            throw new ArgumentException("MaxBlockEvents, Writers, MaxRowsPerFlush and BlockReadPageSize must be positive, MaxBlockSpan not negative.");
        }
        var session = await CqlSessions.OpenAsync(_options.Client, _loggerFactory, _options.Keyspace, _options.Replication,
            _options.CreateSchema ? Schema : null, cancellationToken).ConfigureAwait(false);
        _session = session;
        _writers = [.. Enumerable.Range(0, _options.GroupCommit ? _options.Writers : 0).Select(_ => Task.Run(WriteLoopAsync))];
        _logger.LogInformation("Raw event log ready on {Keyspace}.{Table} (ttl {Ttl})", _options.Keyspace, _options.BlockTable, _options.Ttl?.ToString() ?? "none");
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
            return WriteBlocksAsync(session, events, cancellationToken);
        }
        var pending = new Pending(events);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The raw event log is stopped.");
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The events of one site on one UTC day, in (millisecond, id) order, each once.</summary>
    public async IAsyncEnumerable<TrackedEvent> ReadDayAsync(string site, DateOnly utcDay, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var day = utcDay.ToString(DayFormat, CultureInfo.InvariantCulture);
        // Both sources are in millisecond order, so every copy of an event comes out within its millisecond.
        var millisecond = long.MinValue;
        var seen = new HashSet<Guid>();
        await foreach (var e in Merge(ReadRowsAsync(site, day, cancellationToken), ReadBlocksAsync(site, day, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            var (ms, id) = CassandraEventBlock.KeyOf(e);
            if (ms != millisecond)
            {
                millisecond = ms;
                seen.Clear();
            }
            if (seen.Add(id))
            {
                yield return e;
            }
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
        Task.WhenAll(utcDays.SelectMany(day => new[] { _rows, _blocks }.Select(table => Session.ExecuteAsync(
            new CqlStatement($"DELETE FROM {table} WHERE site = ? AND day = ?", site, day.ToString(DayFormat, CultureInfo.InvariantCulture))
            {
                Prepare = true,
                IsIdempotent = true,
                Consistency = _options.WriteConsistency,
            }, cancellationToken))));

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

    /// <summary>The rows a build before the blocks wrote, one per event, in (millisecond, id) order.</summary>
    private async IAsyncEnumerable<TrackedEvent> ReadRowsAsync(string site, string day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Session.QueryAllAsync(Query(_selectRows, site, day, _options.ReadPageSize), cancellationToken).ConfigureAwait(false))
        {
            yield return EventEnvelope.FromUtf8Bytes(row.GetBytes("envelope")).Event;
        }
    }

    /// <summary>
    /// The day's blocks, merged into (millisecond, id) order: the blocks come by their first millisecond, so an event
    /// earlier than the next block's first is final. A block spans at most MaxBlockSpan, so what waits here is at most
    /// that much time of the site's events.
    /// </summary>
    private async IAsyncEnumerable<TrackedEvent> ReadBlocksAsync(string site, string day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var waiting = new PriorityQueue<TrackedEvent, (long, Guid)>();
        await foreach (var row in Session.QueryAllAsync(Query(_selectBlocks, site, day, _options.BlockReadPageSize), cancellationToken).ConfigureAwait(false))
        {
            var first = CassandraEventBlock.MillisecondOf(row.GetTimestamp("first_ts").UtcDateTime);
            while (waiting.TryPeek(out _, out var key) && key.Item1 < first)
            {
                yield return waiting.Dequeue();
            }
            foreach (var e in CassandraEventBlock.Unpack(row.GetBytes("data")))
            {
                waiting.Enqueue(e, CassandraEventBlock.KeyOf(e));
            }
        }
        while (waiting.TryDequeue(out var e, out _))
        {
            yield return e;
        }
    }

    private static async IAsyncEnumerable<TrackedEvent> Merge(IAsyncEnumerable<TrackedEvent> first, IAsyncEnumerable<TrackedEvent> second,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var a = first.GetAsyncEnumerator(cancellationToken);
        await using var b = second.GetAsyncEnumerator(cancellationToken);
        var hasA = await a.MoveNextAsync().ConfigureAwait(false);
        var hasB = await b.MoveNextAsync().ConfigureAwait(false);
        while (hasA || hasB)
        {
            if (hasA && (!hasB || CassandraEventBlock.KeyOf(a.Current).CompareTo(CassandraEventBlock.KeyOf(b.Current)) <= 0))
            {
                yield return a.Current;
                hasA = await a.MoveNextAsync().ConfigureAwait(false);
            }
            else
            {
                yield return b.Current;
                hasB = await b.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    private CqlStatement Query(string cql, string site, string day, int pageSize) => new(cql, site, day)
    {
        Prepare = true,
        IsIdempotent = true,
        PageSize = pageSize,
        Consistency = _options.ReadConsistency,
    };

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
                await WriteBlocksAsync(Session, taken.SelectMany(p => p.Events), CancellationToken.None).ConfigureAwait(false);
                foreach (var p in taken)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // Every caller of this flush fails and redelivers; the blocks that did land are read once with their rewrites.
                foreach (var p in taken)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// Writes the events as blocks: per site and UTC day, sorted, each event once, a block cut at MaxBlockEvents or when
    /// it would span more than MaxBlockSpan (a late or imported event must not make a reader hold a whole day).
    /// </summary>
    private Task WriteBlocksAsync(ICqlSession session, IEnumerable<TrackedEvent> appended, CancellationToken cancellationToken)
    {
        var partitions = new Dictionary<(string Site, string Day), List<TrackedEvent>>();
        foreach (var e in appended)
        {
            var key = (e.Site, DayOf(CassandraEventBlock.Utc(e.Timestamp)));
            if (!partitions.TryGetValue(key, out var list))
            {
                list = [];
                partitions[key] = list;
            }
            list.Add(e);
        }
        var span = (long)_options.MaxBlockSpan.TotalMilliseconds;
        var inserts = new List<CqlStatement>();
        var block = new List<TrackedEvent>();
        foreach (var ((site, day), events) in partitions)
        {
            events.Sort((x, y) => CassandraEventBlock.KeyOf(x).CompareTo(CassandraEventBlock.KeyOf(y)));
            foreach (var e in events.DistinctBy(e => e.Id))
            {
                if (block.Count > 0 && (block.Count == _options.MaxBlockEvents || CassandraEventBlock.MillisecondOf(e.Timestamp) - CassandraEventBlock.MillisecondOf(block[0].Timestamp) > span))
                {
                    inserts.Add(InsertOf(site, day, block));
                    block.Clear();
                }
                block.Add(e);
            }
            inserts.Add(InsertOf(site, day, block));
            block.Clear();
        }
        return Task.WhenAll(inserts.Select(insert => session.ExecuteAsync(insert, cancellationToken)));
    }

    private CqlStatement InsertOf(string site, string day, List<TrackedEvent> block) => new(_insert,
        site, day, CassandraEventBlock.TimeOf(CassandraEventBlock.MillisecondOf(block[0].Timestamp)),
        CassandraEventBlock.IdOf([.. block.Select(e => e.Id)]),
        CassandraEventBlock.Pack([.. block.Select(e => EventEnvelope.For(e, e.Timestamp).ToUtf8Bytes())]))
    {
        Prepare = true,
        IsIdempotent = true,
        Consistency = _options.WriteConsistency,
    };

    private string[] Schema =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {_blocks} (
            site text, day text, first_ts timestamp, block uuid, data blob,
            PRIMARY KEY ((site, day), first_ts, block))
        WITH CLUSTERING ORDER BY (first_ts ASC, block ASC)
        """,
        // Written by builds before the blocks; created so that reading and erasing it need no check.
        $"""
        CREATE TABLE IF NOT EXISTS {_rows} (
            site text, day text, ts timestamp, id uuid, visitor text, envelope blob,
            PRIMARY KEY ((site, day), ts, id))
        WITH CLUSTERING ORDER BY (ts ASC, id ASC)
        """,
    ];

    private sealed record Pending(IReadOnlyList<TrackedEvent> Events)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
