using Analytics.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Analytics.Deploy.Tests.Kubernetes;

/// <summary>Every document of every deploy/k8s/*.yaml, as plain maps and lists.</summary>
public sealed class Manifests
{
    private Manifests(IReadOnlyList<Node> documents) => Documents = documents;

    public IReadOnlyList<Node> Documents { get; }

    public static Manifests Load()
    {
        var folder = Path.Combine(RepoPaths.Root, "deploy", "k8s");
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Node>();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            using var reader = new StringReader(File.ReadAllText(file));
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                if (deserializer.Deserialize<object>(parser) is { } document)
                {
                    documents.Add(new Node(document, $"{Path.GetFileName(file)}#{documents.Count}"));
                }

                parser.Consume<DocumentEnd>();
            }
        }

        return new Manifests(documents);
    }

    public IEnumerable<Node> OfKind(string kind) => Documents.Where(d => d["kind"].Text == kind);

    public Node Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(d => d["metadata"]["name"].Text == name) ?? throw new Xunit.Sdk.XunitException($"No {kind} named {name} in deploy/k8s.");
}

/// <summary>A YAML value with a path for messages: maps by key, lists by index, scalars as text.</summary>
public sealed class Node(object? value, string path)
{
    public string Path => path;

    public bool Exists => value is not null;

    public Node this[string key] => new(value is IDictionary<object, object> map && map.TryGetValue(key, out var child) ? child : null, $"{path}.{key}");

    public string Text => value as string ?? throw new Xunit.Sdk.XunitException($"{path} is not a scalar (it is {value?.GetType().Name ?? "missing"}).");

    public string? TextOrNull => value as string;

    public IEnumerable<Node> Items => value is IList<object> list ? list.Select((item, i) => new Node(item, $"{path}[{i}]")) : [];

    public IEnumerable<(string Key, Node Value)> Entries =>
        value is IDictionary<object, object> map ? map.Select(e => ((string)e.Key, new Node(e.Value, $"{path}.{e.Key}"))) : [];
}
