using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// <c>Analytics.Silo.dll hash-password</c> (the host runs it instead of starting): reads a password from stdin and prints
/// its hash for Analytics:Auth:Admin:PasswordHash, so a deployment never keeps the password itself.
/// </summary>
public static class HashPasswordCommand
{
    public const string Name = "hash-password";

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    public static int Run()
    {
        var password = Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("Write the password on stdin: printf %s 'secret' | dotnet Analytics.Silo.dll hash-password");
            return 2;
        }

        Console.WriteLine(new AdminAccounts(Options.Create(new AccessOptions())).HashPassword(password));
        return 0;
    }
}
