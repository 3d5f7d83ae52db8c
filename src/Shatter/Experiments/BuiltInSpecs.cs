namespace Shatter.Experiments;

/// <summary>
/// The paper's specs (experiments/*.yaml), embedded in the library so <c>shatter sweep figure1</c> and
/// <c>shatter reproduce figure1</c> work from any folder. A path to a YAML file takes precedence.
/// </summary>
public static class BuiltInSpecs
{
    public static readonly IReadOnlyList<string> Names = ["figure1", "table1", "figure2", "noise", "beyond", "regression", "text", "unsupervised", "semisupervised", "rl"];

    /// <summary>A spec from a file path, or a built-in spec by name.</summary>
    public static ExperimentSpec Resolve(string specOrName)
    {
        if (File.Exists(specOrName)) return SpecParser.Load(specOrName);
        var name = Path.GetFileNameWithoutExtension(specOrName);
        if (Names.Contains(name) && !specOrName.Contains(Path.DirectorySeparatorChar))
            return SpecParser.Parse(Text(name), $"experiments/{name}.yaml");
        throw new ShatterException($"no spec file '{specOrName}' exists; give the path of a YAML spec or a built-in name ({string.Join(", ", Names)}).");
    }

    public static string Text(string name)
    {
        using var stream = typeof(BuiltInSpecs).Assembly.GetManifestResourceStream($"experiments.{name}.yaml")
            ?? throw new InvalidOperationException($"the built-in spec {name} is not embedded in {typeof(BuiltInSpecs).Assembly.GetName().Name}");
        return new StreamReader(stream).ReadToEnd();
    }
}
