using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Query;

/// <summary>Refuses to start with a rate that could not convert anything (<see cref="RevenueRates.Problem"/>).</summary>
public sealed class RevenueOptionsValidator : IValidateOptions<RevenueOptions>
{
    public ValidateOptionsResult Validate(string? name, RevenueOptions options) =>
        RevenueRates.Problem(options.Rates) is { } problem ? ValidateOptionsResult.Fail($"{RevenueOptions.SectionName}:Rates: {problem}") : ValidateOptionsResult.Success;
}
