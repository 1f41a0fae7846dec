using Microsoft.AspNetCore.Mvc;

namespace Analytics.Gateway.Api;

/// <summary>The query string of /mp/collect and /debug/mp/collect, as Google names it.</summary>
public sealed record MpCollectQuery(
    [property: FromQuery(Name = "measurement_id")] string? MeasurementId,
    [property: FromQuery(Name = "api_secret")] string? ApiSecret);
