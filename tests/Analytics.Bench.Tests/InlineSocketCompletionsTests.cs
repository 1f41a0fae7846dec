using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Analytics.Bench.Infra;
using Analytics.Testing;

namespace Analytics.Bench.Tests;

/// <summary>
/// The load generator's socket switch stays with the generator: the servers the bench starts, through each of its
/// launchers, run without it even when the process starting them has it on.
/// </summary>
public sealed class InlineSocketCompletionsTests
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    [Fact]
    public async Task The_servers_the_bench_starts_do_not_inherit_the_generators_switch()
    {
        // The runtime reads the switch when this process's first socket registers with its event engine, as an accept
        // that has to wait does: done here before the switch is set, so this test host keeps its default.
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        using (var client = new TcpClient())
        {
            listener.Start();
            var accepting = listener.AcceptSocketAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            using var accepted = await accepting;
        }

        InlineSocketCompletions.Enable();
        var data = Directory.CreateTempSubdirectory("inline-switch-");
        Process? bare = null;
        SiloProcess? silo = null;
        ChildProcess? child = null;
        try
        {
            Assert.Equal("1", Environment.GetEnvironmentVariable(Variable));
            bare = await BareKestrel.StartProcessAsync(FreePort.Next());
            silo = SiloProcess.Launch(data.FullName, Path.Combine(data.FullName, "silo.log"));
            child = ChildProcess.Start("child", "sleep", ["30"], data.FullName, new Dictionary<string, string>());

            Assert.DoesNotContain(Variable + "=", StartingEnvironment(bare.Id));
            Assert.DoesNotContain(Variable + "=", StartingEnvironment(silo.Pid));
            Assert.DoesNotContain(Variable + "=", StartingEnvironment(child.Id));
            // What they do get: this process's environment.
            Assert.Contains("PATH=", StartingEnvironment(child.Id));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
            bare?.Kill();
            bare?.Dispose();
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            if (child is not null)
            {
                await child.DisposeAsync();
            }

            data.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<string> StartingEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e[..(e.IndexOf('=') + 1)]).ToList();
}
