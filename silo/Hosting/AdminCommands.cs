using Analytics.Gateway.Access;

namespace Analytics.Silo.Hosting;

/// <summary>The silo's admin commands (<c>reaggregate</c>, <c>hash-password</c>): each runs instead of the host, then exits.</summary>
public static class AdminCommands
{
    public static bool IsInvoked(string[] args) => ReaggregateCommand.IsInvoked(args) || HashPasswordCommand.IsInvoked(args);

    public static async Task<int> RunAsync(string[] args) =>
        ReaggregateCommand.IsInvoked(args) ? await ReaggregateCommand.RunAsync(args) : HashPasswordCommand.Run();
}
