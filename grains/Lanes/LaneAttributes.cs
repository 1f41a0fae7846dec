namespace Analytics.Grains.Lanes;

/// <summary>
/// What a session keeps from its first event (where it came from, on what, from where), as <see cref="LaneStrings"/>
/// codes. Sessions share one copy per distinct combination (<see cref="LaneAttributeSets"/>), so a slot holds one code
/// instead of eighteen.
/// </summary>
internal record struct LaneAttributes(
    int Hostname,
    int Source,
    int Referrer,
    int Channel,
    int UtmSource,
    int UtmMedium,
    int UtmCampaign,
    int UtmContent,
    int UtmTerm,
    int Device,
    int Browser,
    int BrowserVersion,
    int Os,
    int OsVersion,
    int Country,
    int Region,
    int City,
    int Screen);
