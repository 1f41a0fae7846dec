using Analytics.Sqlite.EventLog;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>Builds the SQLite stream provider's parts: one queue, one receiver and one cache per lane of the event log.</summary>
public sealed class SqliteQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly SqliteEventLog _log;
    private readonly SqliteStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SqliteStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;

    public SqliteQueueAdapterFactory(string name, SqliteEventLog log, SqliteStreamOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _name = name;
        _log = log;
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _mapper = new SqliteStreamQueueMapper(name, log.Lanes);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
    }

    public static SqliteQueueAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetService<SqliteEventLog>() ?? throw new InvalidOperationException($"SQLite stream provider '{name}' reads the embedded event log: register it (AddSqliteEventLog)."),
        services.GetRequiredService<IOptionsMonitor<SqliteStreamOptions>>().Get(name),
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        services.GetRequiredService<ILoggerFactory>());

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new SqliteQueueAdapter(_name, _log, _options, _time, _loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    // Delivery failures are not retried by the provider: the checkpoint stays before an undelivered container, so the
    // lane's next reader reads it again.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));
}
