namespace Analytics.GrainInterfaces.Query;

/// <summary>The Stats API v2 comparison operators.</summary>
public enum FilterOperator
{
    Is,
    IsNot,
    Contains,
    ContainsNot,
    /// <summary>An RE2-syntax regular expression, run with .NET's non-backtracking engine (linear time).</summary>
    Matches,
    MatchesNot,
}
