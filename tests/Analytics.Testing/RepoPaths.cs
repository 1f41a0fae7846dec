namespace Analytics.Testing;

public static class RepoPaths
{
    /// <summary>The repository root, found by walking up from the test binaries to Analytics.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/artifacts (gitignored): screenshots and reports the tests leave behind.</summary>
    public static string Artifacts()
    {
        var artifacts = Path.Combine(Root, "tests", "artifacts");
        Directory.CreateDirectory(artifacts);
        return artifacts;
    }

    /// <summary>The build configuration the tests were built in (Debug or Release), to find sibling build outputs.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
