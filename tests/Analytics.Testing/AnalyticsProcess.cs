using System.Globalization;

namespace Analytics.Testing;

/// <summary>
/// A real product process on loopback ports: the embedded profile or a cluster-profile silo (silo/bin/.../Analytics.Silo.dll),
/// the standalone gateway (gateway/bin/.../Analytics.Gateway.dll) or the standalone dashboard (dashboard/bin/.../Analytics.Dashboard.dll). Settings are passed as environment variables
/// (Analytics__Section__Key). Healthy means GET /health on its --urls answers 2xx. StopAsync is a graceful SIGTERM;
/// KillAsync is SIGKILL, a crash. Every process gets <see cref="TestCredentials"/> (the test API key as a hash, the admin
/// account; the dashboard also forwards with the key): call the APIs through <see cref="CreateClient"/>.
/// </summary>
public sealed class AnalyticsProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private ChildProcess? _process;

    private AnalyticsProcess(string name, string dll, IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string>? settings)
    {
        Name = name;
        Dll = dll;
        Port = FreePort.Next();
        _settings = TestCredentials.Environment();
        foreach (var (key, value) in defaults)
        {
            _settings[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The embedded profile: silo, gateway and dashboard in one process, its data under <paramref name="dataDirectory"/>.</summary>
    public static AnalyticsProcess Embedded(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) =>
        new("embedded", SiloDll, new Dictionary<string, string>
        {
            ["Analytics__Sqlite__DataDirectory"] = dataDirectory,
            ["Analytics__Orleans__SiloPort"] = Text(FreePort.Next()),
            ["Analytics__Orleans__GatewayPort"] = Text(FreePort.Next()),
        }, settings) { DataDirectory = dataDirectory };

    /// <summary>A silo of the cluster profile (Redis membership, Cassandra state, Kafka events), on its own silo and gateway ports.</summary>
    public static AnalyticsProcess ClusterSilo(ClusterSettings cluster, string name = "silo", IReadOnlyDictionary<string, string>? settings = null)
    {
        var defaults = cluster.Common();
        defaults["Analytics__Profile"] = "Cluster";
        defaults["Analytics__Cluster__AdvertisedAddress"] = "127.0.0.1";
        defaults["Analytics__Cluster__SiloPort"] = Text(FreePort.Next());
        defaults["Analytics__Cluster__GatewayPort"] = Text(FreePort.Next());
        defaults["Analytics__Cassandra__Client__ContactPoints__0"] = cluster.CassandraContactPoint;
        defaults["Analytics__Cassandra__Keyspace"] = cluster.Keyspace;
        defaults["Analytics__Kafka__ConsumerGroupId"] = cluster.ConsumerGroupId;
        defaults["Analytics__Kafka__PartitionCount"] = Text(cluster.PartitionCount);
        return new AnalyticsProcess(name, SiloDll, defaults, settings);
    }

    /// <summary>The standalone gateway of the cluster profile: an Orleans client of the silos, producing beacons to Kafka.</summary>
    public static AnalyticsProcess Gateway(ClusterSettings cluster, string name = "gateway", IReadOnlyDictionary<string, string>? settings = null) =>
        new(name, GatewayDll, cluster.Common(), settings);

    /// <summary>The standalone dashboard of the cluster profile: the page, and /api/* and /js/script.js forwarded to <paramref name="gateway"/>.</summary>
    public static AnalyticsProcess Dashboard(Uri gateway, string name = "dashboard", IReadOnlyDictionary<string, string>? settings = null) =>
        new(name, DashboardDll, new Dictionary<string, string>
        {
            ["Analytics__Dashboard__GatewayUrl"] = gateway.ToString(),
            ["Analytics__Dashboard__GatewayApiKey"] = TestCredentials.ApiKey,
        }, settings);

    public static string DashboardDll => Path.Combine(RepoPaths.Root, "dashboard", "host", "bin", RepoPaths.Configuration, "net10.0", "Analytics.Dashboard.Host.dll");

    public static string SiloDll => Path.Combine(RepoPaths.Root, "silo", "bin", RepoPaths.Configuration, "net10.0", "Analytics.Silo.dll");

    public static string GatewayDll => Path.Combine(RepoPaths.Root, "gateway", "host", "bin", RepoPaths.Configuration, "net10.0", "Analytics.Gateway.Host.dll");

    public string Name { get; }

    public string Dll { get; }

    /// <summary>Where the process is started from; the app's own folder unless set (as a service manager might).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The embedded profile's data folder; null for cluster processes.</summary>
    public string? DataDirectory { get; private init; }

    public int Port { get; }

    public Uri BaseAddress => new(BaseUrl);

    /// <summary>"http://127.0.0.1:port/", with the trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public int? ProcessId => _process?.Id;

    /// <summary>A client of this process that sends the test API key (<see cref="TestCredentials.ApiKey"/>).</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) }.Authorize();

    /// <summary>The settings the process was (or will be) started with.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>A snapshot of the output lines so far, in order.</summary>
    public IReadOnlyList<string> Lines() => _process?.Lines() ?? [];

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"Build the solution first: {Name} ({Path.GetFileName(Dll)}) is not built.", Dll);
        }

        var environment = new Dictionary<string, string>
        {
            // Plain one-line console logs, so tests can read what a process reports.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        _process = ChildProcess.Start(Name, "dotnet", [Dll, "--urls", BaseUrl], WorkingDirectory ?? Path.GetDirectoryName(Dll)!, environment);
        await _process.WaitHealthyAsync(new Uri(BaseAddress, "health"), timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Graceful stop: SIGTERM, then wait for the process to end.</summary>
    public Task StopAsync(TimeSpan? timeout = null) => _process?.StopAsync(timeout) ?? Task.CompletedTask;

    /// <summary>A crash: SIGKILL, no shutdown code runs.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;

    public override string ToString() => $"{Name} (pid {_process?.Id}, {BaseUrl})";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
