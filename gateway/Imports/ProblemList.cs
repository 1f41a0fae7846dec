namespace Analytics.Gateway.Imports;

/// <summary>Collects row problems: every one counted, the first <see cref="ImportLimits.MaxListedProblems"/> kept.</summary>
public sealed class ProblemList
{
    private readonly List<string> _listed = [];

    public int Count { get; private set; }

    public IReadOnlyList<string> Listed => _listed;

    public void Add(string file, int line, string problem) => Add($"{file} line {line}: {problem}");

    public void Add(string problem)
    {
        if (++Count <= ImportLimits.MaxListedProblems)
        {
            _listed.Add(problem);
        }
    }
}
