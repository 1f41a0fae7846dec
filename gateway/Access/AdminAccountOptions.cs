namespace Analytics.Gateway.Access;

/// <summary>The dashboard's admin account (Analytics:Auth:Admin). A logged-in admin sees and manages every site.</summary>
public sealed class AdminAccountOptions
{
    public string Email { get; set; } = "admin@localhost";

    /// <summary>Plain password (development, tests); prefer <see cref="PasswordHash"/> anywhere else.</summary>
    public string? Password { get; set; }

    /// <summary>An ASP.NET Core Identity password hash (PBKDF2), e.g. from <c>Analytics.Silo.dll hash-password</c>.</summary>
    public string? PasswordHash { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(PasswordHash);
}
