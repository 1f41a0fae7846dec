namespace Analytics.Tests.Differential;

/// <summary>A site of the differential test: its domain and IANA time zone (both sides bucket days in it).</summary>
public sealed record DifferentialSite(string Domain, string Timezone);
