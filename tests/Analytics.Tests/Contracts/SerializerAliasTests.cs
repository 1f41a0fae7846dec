using System.Reflection;

namespace Analytics.Tests.Contracts;

/// <summary>
/// Every type Orleans serializes carries an [Alias]: its wire name then survives a rename or a move to another namespace
/// or project, so messages, persisted state and exceptions of an older silo still read.
/// </summary>
public sealed class SerializerAliasTests
{
    [Fact]
    public void Every_serialized_type_of_the_product_and_its_providers_has_an_alias()
    {
        var assemblies = Directory.GetFiles(AppContext.BaseDirectory, "Analytics.*.dll")
            .Select(file => Assembly.Load(Path.GetFileNameWithoutExtension(file)))
            .ToList();
        var serialized = assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsDefined(typeof(GenerateSerializerAttribute), inherit: false))
            .ToList();

        Assert.Contains(serialized, t => t.Name == "KafkaSequenceToken"); // control: provider assemblies are in the scan
        Assert.Empty(serialized.Where(t => !t.IsDefined(typeof(AliasAttribute), inherit: false)).Select(t => t.FullName));
    }
}
