using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.Streams;

namespace Analytics.Tests.Streams;

public sealed class SqliteStreamQueueMapperTests
{
    private readonly SqliteStreamQueueMapper _mapper = new("events", 4);

    [Fact]
    public void A_lane_stream_lives_on_its_lanes_queue()
    {
        for (var lane = 0; lane < 4; lane++)
        {
            var queue = _mapper.GetQueueForStream(StreamId.Create(StreamNames.Lanes, LaneStreams.Key(lane)));
            Assert.Equal(lane, SqliteStreamQueueMapper.LaneOf(queue));
        }

        Assert.Equal([0, 1, 2, 3], _mapper.GetAllQueues().Select(SqliteStreamQueueMapper.LaneOf));
    }

    [Theory]
    [InlineData(StreamNames.Lanes, "4")]
    [InlineData(StreamNames.Lanes, "-1")]
    [InlineData(StreamNames.Lanes, "site|visitor")]
    [InlineData("events", "1")]
    public void Any_other_stream_is_refused_with_a_reason(string streamNamespace, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => _mapper.GetQueueForStream(StreamId.Create(streamNamespace, key)));
        Assert.Contains("4 lanes", error.Message);
    }
}
