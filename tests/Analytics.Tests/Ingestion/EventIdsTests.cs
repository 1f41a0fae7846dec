using Analytics.Gateway.Ingestion;

namespace Analytics.Tests.Ingestion;

public sealed class EventIdsTests
{
    [Theory]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("2026-12-07T06:30:00.123Z")]
    [InlineData("9999-12-31T23:59:59.999Z")]
    public void An_id_is_a_version_7_uuid_of_its_timestamp_as_the_runtime_makes_them(string at)
    {
        var timestamp = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        var ours = EventIds.NewVersion7(timestamp);
        var runtime = Guid.CreateVersion7(timestamp);

        Assert.Equal(7, ours.Version);
        // The RFC 9562 variant: 10 in the top bits of the ninth byte (Guid.Variant is its whole high nibble).
        Assert.Equal(0b1000, ours.Variant & 0b1100);
        // The first 48 bits are the Unix time in milliseconds, big-endian, as in the runtime's.
        Assert.Equal(runtime.ToByteArray(bigEndian: true)[..6], ours.ToByteArray(bigEndian: true)[..6]);
    }

    [Fact]
    public void A_time_before_1970_has_no_id_as_with_the_runtime()
    {
        var before = DateTimeOffset.UnixEpoch.AddMilliseconds(-1);

        Assert.Throws<ArgumentOutOfRangeException>(() => Guid.CreateVersion7(before));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventIds.NewVersion7(before));
    }

    [Fact]
    public void Ids_of_one_millisecond_differ_in_their_random_bits()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddMilliseconds(1_796_000_000_000);
        var ids = Enumerable.Range(0, 100_000).Select(_ => EventIds.NewVersion7(timestamp)).ToHashSet();

        Assert.Equal(100_000, ids.Count);
        // Every random bit varies: no bit outside the timestamp, version and variant is the same in all of them.
        var first = ids.First().ToByteArray(bigEndian: true);
        var varies = new byte[16];
        foreach (var id in ids)
        {
            var bytes = id.ToByteArray(bigEndian: true);
            for (var i = 0; i < 16; i++)
            {
                varies[i] |= (byte)(bytes[i] ^ first[i]);
            }
        }

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0x0F, 0xFF, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, varies);
    }
}
