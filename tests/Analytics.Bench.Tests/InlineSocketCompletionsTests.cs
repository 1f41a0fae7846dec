using System.Diagnostics;
using Analytics.Testing;

namespace Analytics.Bench.Tests;

/// <summary>The generator's socket switch stays with the generator: a process started with a cleared environment runs without it.</summary>
public sealed class InlineSocketCompletionsTests
{
    [Fact]
    public async Task A_child_whose_environment_was_cleared_does_not_inherit_the_switch()
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("echo \"${DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS-unset}\"");
        // As a child of the bench would find it: copied from the bench's environment, where the switch is on.
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        start.Environment["KEPT"] = "yes";

        InlineSocketCompletions.Clear(start.Environment);

        Assert.Equal("yes", start.Environment["KEPT"]);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.Equal("unset", output.Trim());
    }
}
