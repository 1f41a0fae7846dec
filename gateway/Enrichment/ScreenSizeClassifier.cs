namespace Analytics.Gateway.Enrichment;

/// <summary>Plausible's screen-size classes, keyed on the viewport width in CSS pixels.</summary>
public static class ScreenSizeClassifier
{
    /// <summary>
    /// "Mobile" (&lt; 576), "Tablet" (&lt; 992), "Laptop" (&lt; 1440) or "Desktop" (≥ 1440);
    /// null when the width is missing or not positive, since a bogus width is no evidence of a class.
    /// </summary>
    public static string? Classify(int? screenWidth) => screenWidth switch
    {
        null or <= 0 => null,
        < 576 => "Mobile",
        < 992 => "Tablet",
        < 1440 => "Laptop",
        _ => "Desktop",
    };
}
