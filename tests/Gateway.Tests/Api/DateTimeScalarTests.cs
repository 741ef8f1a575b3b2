using Gateway.Api;

namespace Gateway.Tests.Api;

public sealed class DateTimeScalarTests
{
    [Theory]
    [InlineData(2022, 7, 12, 21, 11, 7, 123, 120, "2022-07-12T19:11:07.123Z")]
    [InlineData(2022, 7, 12, 19, 11, 7, 0, 0, "2022-07-12T19:11:07.000Z")]
    [InlineData(2026, 1, 1, 0, 30, 0, 5, 60, "2025-12-31T23:30:00.005Z")]
    [InlineData(1, 1, 1, 0, 0, 0, 0, 0, "0001-01-01T00:00:00.000Z")]
    [InlineData(9999, 12, 31, 23, 59, 59, 999, 0, "9999-12-31T23:59:59.999Z")]
    public void Serializes_instants_in_utc_with_milliseconds(int year, int month, int day, int hour, int minute, int second, int millisecond, int offsetMinutes, string expected)
    {
        var value = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.FromMinutes(offsetMinutes));

        foreach (var instant in new object[] { value, value.UtcDateTime })
        {
            var serialized = new IsoDateTimeGraphType().Serialize(instant);
            // As the response writes it, and as text anywhere else.
            Assert.Equal($"\"{expected}\"", TextLeaves.Written(serialized));
            Assert.Equal(expected, serialized!.ToString());
        }
    }
}
