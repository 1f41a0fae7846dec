using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Analytics.Cql.Errors;
using Analytics.Cql.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Analytics.Cql;

/// <summary>
/// <see cref="ICqlSession"/> over our own protocol v3 client: a connection pool, a prepared-statement cache
/// and a Polly pipeline (retry outside a circuit breaker) for transient failures. Every request carries a client-side
/// timestamp (<see cref="CqlTimestampGenerator"/>), chosen once so that its retries write with the same one.
/// </summary>
public sealed class CqlSession : ICqlSession
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("cql.idempotent");

    private readonly CassandraClientOptions _options;
    private readonly CqlConnectionPool _pool;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    // Keyed by CQL text; the application's statements are a small fixed set, so the cache is unbounded.
    // Lazy makes concurrent first uses share one PREPARE: Cassandra 2.1 sizes every prepared statement
    // with jamm, which is slow enough that hundreds of duplicate PREPAREs stall a burst of requests.
    private readonly ConcurrentDictionary<string, Lazy<Task<CqlPreparedStatement>>> _prepared = new(StringComparer.Ordinal);

    public CqlSession(CassandraClientOptions options, ILogger<CqlSession>? logger = null)
    {
        CassandraClientOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _logger = logger ?? NullLogger<CqlSession>.Instance;
        _pool = new CqlConnectionPool(options);
        _pipeline = BuildPipeline(options, _logger);
    }

    /// <summary>The pool, for failure tests.</summary>
    internal CqlConnectionPool Pool => _pool;

    public async Task<CqlRowSet> ExecuteAsync(CqlStatement statement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, statement.IsIdempotent);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Self.ExecuteOnceAsync(state.Statement, state.Timestamp, ctx.CancellationToken),
                context,
                (Self: this, Statement: statement, Timestamp: CqlTimestampGenerator.Shared.Next())).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task<CqlRowSet> ExecuteBatchAsync(CqlBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Statements.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one statement.", nameof(batch));
        }
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, batch.IsIdempotent);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Self.ExecuteBatchOnceAsync(state.Batch, state.Timestamp, ctx.CancellationToken),
                context,
                (Self: this, Batch: batch, Timestamp: CqlTimestampGenerator.Shared.Next())).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task<CqlPreparedStatement> PrepareAsync(string cql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cql);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, true);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var connection = await state.Self._pool.AcquireAsync(ctx.CancellationToken).ConfigureAwait(false);
                    return await state.Self.GetOrPrepareAsync(connection, state.Cql, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (Self: this, Cql: cql)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async IAsyncEnumerable<CqlRow> QueryAllAsync(CqlStatement statement, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = statement;
        while (true)
        {
            var rows = await ExecuteAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows.Rows)
            {
                yield return row;
            }
            if (rows.PagingState is null)
            {
                yield break;
            }
            page = page with { PagingState = rows.PagingState };
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private async ValueTask<CqlRowSet> ExecuteOnceAsync(CqlStatement statement, long timestamp, CancellationToken cancellationToken)
    {
        var connection = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new CqlQueryParameters(
            statement.Consistency ?? _options.DefaultConsistency,
            statement.PageSize ?? _options.DefaultPageSize,
            statement.PagingState,
            statement.SerialConsistency,
            timestamp);
        if (!statement.Prepare)
        {
            var values = statement.Values.Select(v => CqlValueCodec.Encode(v)).ToArray();
            var frame = await connection.SendAsync(CqlRequest.Query(statement.Cql, values, parameters), _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return CqlResultParser.ParseRows(frame.Body);
        }
        var prepared = await GetOrPrepareAsync(connection, statement.Cql, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ExecutePreparedAsync(connection, prepared, statement, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (CqlUnpreparedException)
        {
            // This node restarted or never saw the statement: prepare it here and execute once more.
            // The server rejected the EXECUTE before running it, so this is safe for any statement.
            _logger.LogInformation("Re-preparing statement on {Endpoint}: {Cql}", connection.Endpoint, statement.Cql);
            prepared = await PrepareOnAsync(connection, statement.Cql, cancellationToken).ConfigureAwait(false);
            return await ExecutePreparedAsync(connection, prepared, statement, parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CqlRowSet> ExecutePreparedAsync(
        CqlConnection connection, CqlPreparedStatement prepared, CqlStatement statement, CqlQueryParameters parameters, CancellationToken cancellationToken)
    {
        var frame = await connection.SendAsync(CqlRequest.Execute(prepared.Id, Bind(prepared, statement), parameters), _options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return CqlResultParser.ParseRows(frame.Body);
    }

    private static byte[]?[] Bind(CqlPreparedStatement prepared, CqlStatement statement)
    {
        if (statement.Values.Count != prepared.Variables.Count)
        {
            throw new ArgumentException($"The statement has {prepared.Variables.Count} bind markers but {statement.Values.Count} values were given: {statement.Cql}");
        }
        var values = new byte[]?[statement.Values.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = CqlValueCodec.Encode(statement.Values[i], prepared.Variables[i].Type);
        }
        return values;
    }

    private async ValueTask<CqlRowSet> ExecuteBatchOnceAsync(CqlBatch batch, long timestamp, CancellationToken cancellationToken)
    {
        var connection = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendBatchAsync(connection, batch, timestamp, reprepare: false, cancellationToken).ConfigureAwait(false);
        }
        catch (CqlUnpreparedException)
        {
            // As for one statement: the server rejected the batch before running any of it.
            _logger.LogInformation("Re-preparing the statements of a batch on {Endpoint}", connection.Endpoint);
            return await SendBatchAsync(connection, batch, timestamp, reprepare: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CqlRowSet> SendBatchAsync(CqlConnection connection, CqlBatch batch, long timestamp, bool reprepare, CancellationToken cancellationToken)
    {
        // A batch often repeats one statement: prepare each text once.
        var prepared = new Dictionary<string, CqlPreparedStatement>(StringComparer.Ordinal);
        var entries = new CqlBatchEntry[batch.Statements.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var statement = batch.Statements[i];
            if (!statement.Prepare)
            {
                entries[i] = new CqlBatchEntry(statement.Cql, null, statement.Values.Select(v => CqlValueCodec.Encode(v)).ToArray());
                continue;
            }
            if (!prepared.TryGetValue(statement.Cql, out var known))
            {
                known = reprepare
                    ? await PrepareOnAsync(connection, statement.Cql, cancellationToken).ConfigureAwait(false)
                    : await GetOrPrepareAsync(connection, statement.Cql, cancellationToken).ConfigureAwait(false);
                prepared[statement.Cql] = known;
            }
            entries[i] = new CqlBatchEntry(statement.Cql, known.Id, Bind(known, statement));
        }
        var request = CqlRequest.Batch(batch.Type, entries, batch.Consistency ?? _options.DefaultConsistency, timestamp);
        var frame = await connection.SendAsync(request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return CqlResultParser.ParseRows(frame.Body);
    }

    private async Task<CqlPreparedStatement> GetOrPrepareAsync(CqlConnection connection, string cql, CancellationToken cancellationToken)
    {
        // The shared PREPARE is not tied to one caller's token; the request timeout bounds it.
        var entry = _prepared.GetOrAdd(cql, text => new Lazy<Task<CqlPreparedStatement>>(() => SendPrepareAsync(connection, text, CancellationToken.None)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _prepared.TryRemove(KeyValuePair.Create(cql, entry));
            throw;
        }
    }

    private async Task<CqlPreparedStatement> PrepareOnAsync(CqlConnection connection, string cql, CancellationToken cancellationToken)
    {
        var prepared = await SendPrepareAsync(connection, cql, cancellationToken).ConfigureAwait(false);
        _prepared[cql] = new Lazy<Task<CqlPreparedStatement>>(Task.FromResult(prepared));
        return prepared;
    }

    private async Task<CqlPreparedStatement> SendPrepareAsync(CqlConnection connection, string cql, CancellationToken cancellationToken)
    {
        var frame = await connection.SendAsync(CqlRequest.Prepare(cql), _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return CqlResultParser.ParsePrepared(cql, frame.Body);
    }

    /// <summary>
    /// Whether a failure may be retried. Unavailable, overloaded and bootstrapping mean the coordinator did
    /// not execute the request; a connection failure before sending is safe too. Anything that may have
    /// reached the server (timeouts, a connection lost after sending) is retried only for idempotent statements.
    /// </summary>
    internal static bool IsRetriable(Exception exception, bool idempotent) => exception switch
    {
        CqlUnavailableException or CqlOverloadedException or CqlIsBootstrappingException => true,
        CqlConnectionException connection => !connection.MaybeSent || idempotent,
        CqlClientTimeoutException or CqlWriteTimeoutException or CqlReadTimeoutException => idempotent,
        _ => false,
    };

    private static bool IsTransient(Exception? exception) => exception is CqlUnavailableException or CqlOverloadedException
        or CqlIsBootstrappingException or CqlConnectionException or CqlClientTimeoutException;

    private static ResiliencePipeline BuildPipeline(CassandraClientOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsRetriable(e, args.Context.Properties.GetValue(IdempotentKey, false))),
                OnRetry = args =>
                {
                    logger.LogWarning("CQL request failed ({Error}); retry {Attempt} in {Delay}",
                        args.Outcome.Exception?.Message, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 20,
            SamplingDuration = TimeSpan.FromSeconds(10),
            BreakDuration = options.CircuitBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
        });
        return builder.Build();
    }
}
