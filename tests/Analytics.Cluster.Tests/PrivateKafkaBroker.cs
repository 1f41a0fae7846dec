using System.Diagnostics;
using System.Text;

namespace Analytics.Cluster.Tests;

/// <summary>
/// A Kafka 0.9 broker of one test's own, from the jars of scripts/services.sh: its own port and log folder, registered under its
/// own chroot of the shared ZooKeeper, so killing it touches no other test's broker. Killed by the pid we started, never by name.
/// </summary>
public sealed class PrivateKafkaBroker : IAsyncDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("analytics-private-kafka-").FullName;
    private readonly string _chroot = "/private-kafka-" + Guid.NewGuid().ToString("N")[..12];
    private readonly StringBuilder _log = new();
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string Bootstrap => $"127.0.0.1:{Port}";

    /// <summary>The ZooKeeper connect string with this broker's chroot, for TopicCommand.</summary>
    public string ZooKeeper => ServiceEndpoints.ZooKeeper + _chroot;

    public async Task StartAsync()
    {
        File.WriteAllText(Path.Combine(_state, "server.properties"), $"""
            broker.id=0
            listeners=PLAINTEXT://127.0.0.1:{Port}
            advertised.listeners=PLAINTEXT://127.0.0.1:{Port}
            zookeeper.connect={ZooKeeper}
            zookeeper.connection.timeout.ms=15000
            zookeeper.session.timeout.ms=6000
            log.dirs={Path.Combine(_state, "logs")}
            num.partitions=1
            auto.create.topics.enable=false
            offsets.topic.replication.factor=1
            offsets.topic.num.partitions=1
            num.network.threads=1
            num.io.threads=2
            """);
        File.WriteAllText(Path.Combine(_state, "log4j.properties"), """
            log4j.rootLogger=WARN, stdout
            log4j.appender.stdout=org.apache.log4j.ConsoleAppender
            log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
            log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
            log4j.logger.kafka.server.KafkaServer=INFO
            """);
        var start = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
            "-Dlog4j.configuration=file:" + Path.Combine(_state, "log4j.properties"),
            "-cp", Path.Combine(ServiceEndpoints.KafkaLibs, "*"), "kafka.Kafka", Path.Combine(_state, "server.properties"),
        })
        {
            start.ArgumentList.Add(arg);
        }
        lock (_log)
        {
            _log.Clear();
        }
        var process = _process = Process.Start(start) ?? throw new InvalidOperationException("could not start java");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A restart right after a kill waits for ZooKeeper to expire the old registration (session timeout).
        await Poll.UntilAsync(() =>
        {
            if (process.HasExited)
            {
                throw new ProcessExitedException($"The private Kafka broker exited with {process.ExitCode}:\n{Log}");
            }
            return Task.FromResult(Log.Contains("started (kafka.server.KafkaServer)", StringComparison.Ordinal) && ServiceEndpoints.CanConnect(Bootstrap));
        }, TimeSpan.FromSeconds(60), $"the private Kafka broker on {Bootstrap}");
    }

    /// <summary>SIGKILL: the broker vanishes at once, as in a crash or a lost machine.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        process.Kill();
        await process.WaitForExitAsync();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
