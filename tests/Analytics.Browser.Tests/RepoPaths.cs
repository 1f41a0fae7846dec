namespace Analytics.Browser.Tests;

public static class RepoPaths
{
    /// <summary>tests/artifacts under the repo root (gitignored), found by walking up to Analytics.sln.</summary>
    public static string Artifacts()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        var artifacts = Path.Combine(root, "tests", "artifacts");
        Directory.CreateDirectory(artifacts);
        return artifacts;
    }
}
