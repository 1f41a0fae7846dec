using Analytics.Cql.Errors;

namespace Analytics.Cql;

/// <summary>
/// A fixed number of connections used round-robin. A slot whose connection died is reopened on its
/// next use (trying the contact points in order); while that fails, the other open slots serve.
/// </summary>
internal sealed class CqlConnectionPool : IAsyncDisposable
{
    private readonly CassandraClientOptions _options;
    private readonly IReadOnlyList<CqlEndpoint> _endpoints;
    private readonly CqlConnection?[] _slots;
    private readonly SemaphoreSlim[] _slotLocks;
    private int _next = -1;
    private bool _disposed;

    public CqlConnectionPool(CassandraClientOptions options)
    {
        _options = options;
        _endpoints = options.ContactPoints.Select(CqlEndpoint.Parse).ToList();
        _slots = new CqlConnection?[options.PoolSize];
        _slotLocks = Enumerable.Range(0, options.PoolSize).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    }

    /// <summary>The current connections, for failure tests.</summary>
    internal IReadOnlyList<CqlConnection?> Connections => _slots;

    public async ValueTask<CqlConnection> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length);
        if (Volatile.Read(ref _slots[slot]) is { IsOpen: true } open)
        {
            return open;
        }
        try
        {
            return await OpenSlotAsync(slot, cancellationToken).ConfigureAwait(false);
        }
        catch (CqlConnectionException)
        {
            foreach (var other in _slots)
            {
                if (other is { IsOpen: true })
                {
                    return other;
                }
            }
            throw;
        }
    }

    private async Task<CqlConnection> OpenSlotAsync(int slot, CancellationToken cancellationToken)
    {
        await _slotLocks[slot].WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _slots[slot];
            if (current is { IsOpen: true })
            {
                return current;
            }
            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(false);
            }
            Exception? last = null;
            for (var i = 0; i < _endpoints.Count; i++)
            {
                var endpoint = _endpoints[(slot + i) % _endpoints.Count];
                try
                {
                    var connection = await CqlConnection.OpenAsync(endpoint, _options, cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref _slots[slot], connection);
                    return connection;
                }
                catch (CqlConnectionException e)
                {
                    last = e;
                }
            }
            throw new CqlConnectionException(
                $"No contact point answered ({string.Join(", ", _endpoints)}): {last?.Message}", maybeSent: false, last);
        }
        finally
        {
            _slotLocks[slot].Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var connection in _slots)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
