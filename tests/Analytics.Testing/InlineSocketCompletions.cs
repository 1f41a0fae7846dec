namespace Analytics.Testing;

/// <summary>
/// The runtime's switch that completes socket operations on the event thread that saw them ready, instead of posting
/// each completion to the thread pool. A load generator that only writes a request and reads an answer per completion
/// wants it: the hand-off to a pool thread was a context switch per answer on the cores it shares with the server. The
/// servers it measures run with the runtime's default, so the processes a test or the bench starts never inherit it.
/// </summary>
public static class InlineSocketCompletions
{
    // Read once per process, when its first socket registers with the event engine.
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>For this process; before its first socket.</summary>
    public static void Enable() => Environment.SetEnvironmentVariable(Variable, "1");

    /// <summary>Takes the switch out of a child's environment (a copy of this process's when it starts).</summary>
    public static void Clear(IDictionary<string, string?> environment) => environment.Remove(Variable);
}
