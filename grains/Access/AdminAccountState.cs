namespace Analytics.Grains.Access;

[GenerateSerializer, Alias("AdminAccountState")]
public sealed class AdminAccountState
{
    /// <summary>ASP.NET Core Identity's PBKDF2 password hash; the password itself is never stored.</summary>
    [Id(0)] public string? PasswordHash { get; set; }
}
