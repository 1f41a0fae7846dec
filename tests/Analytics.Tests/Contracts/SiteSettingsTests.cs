using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Contracts;

/// <summary>Which domains name a site around a domain change, and under which key its data stays.</summary>
public sealed class SiteSettingsTests
{
    private static readonly DateTime Changed = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    private static readonly SiteSettings Renamed = new()
    {
        Domain = "new.example", Key = "old.example", FormerDomain = "old.example", DomainChangedAt = Changed,
    };

    [Fact]
    public void The_former_domain_names_the_site_for_72_hours_as_in_plausible_then_only_the_new_one_does()
    {
        Assert.True(Renamed.IsNamedBy("new.example", Changed.AddYears(1)));
        Assert.True(Renamed.IsNamedBy("old.example", Changed));
        Assert.True(Renamed.IsNamedBy("old.example", Changed.AddHours(72).AddTicks(-1)));
        Assert.False(Renamed.IsNamedBy("old.example", Changed.AddHours(72)));
        Assert.False(Renamed.IsNamedBy("other.example", Changed));
    }

    [Fact]
    public void The_data_stays_under_the_first_domain_and_settings_from_before_keys_use_their_domain()
    {
        Assert.Equal("old.example", Renamed.SiteKey);
        Assert.Equal("legacy.example", new SiteSettings { Domain = "legacy.example" }.SiteKey);
        Assert.False(new SiteSettings { Domain = "legacy.example" }.IsNamedBy("old.example", Changed));
    }
}
