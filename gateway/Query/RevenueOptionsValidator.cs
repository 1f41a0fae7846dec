using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Query;

/// <summary>Refuses to start with a rate that could not convert anything: a key that is not two ISO 4217 codes, or a rate not above zero.</summary>
public sealed partial class RevenueOptionsValidator : IValidateOptions<RevenueOptions>
{
    public ValidateOptionsResult Validate(string? name, RevenueOptions options)
    {
        var failures = options.Rates
            .Where(r => !Pair().IsMatch(r.Key) || r.Key[..3] == r.Key[3..] || r.Value <= 0)
            .Select(r => $"{RevenueOptions.SectionName}:Rates:{r.Key} = {r.Value}: a rate is keyed by two different currency codes (\"EURUSD\") and above zero.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Z]{6}$")]
    private static partial Regex Pair();
}
