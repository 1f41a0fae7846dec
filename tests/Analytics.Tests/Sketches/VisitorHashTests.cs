using System.IO.Hashing;
using System.Text;
using Analytics.GrainInterfaces.Sketches;

namespace Analytics.Tests.Sketches;

/// <summary>Stored sketches and segments hold these hashes: the function must never change.</summary>
public sealed class VisitorHashTests
{
    [Theory]
    [InlineData("example.com", "visitor-1")]
    [InlineData("", "")]
    [InlineData("bücher.de", "ünïcødé-✓-𝄞")]
    [InlineData("a|b", "|c")]
    public void Is_XxHash64_of_the_UTF8_of_site_bar_visitor(string site, string visitor) =>
        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(site + "|" + visitor)), VisitorHash.Of(site, visitor));

    [Fact]
    public void Ids_too_long_for_the_stack_buffer_hash_the_same_way()
    {
        var visitor = string.Concat(Enumerable.Repeat("é𝄞", 200));
        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("example.com|" + visitor)), VisitorHash.Of("example.com", visitor));
    }
}
