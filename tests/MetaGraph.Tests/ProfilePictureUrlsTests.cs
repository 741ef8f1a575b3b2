namespace MetaGraph.Tests;

public sealed class ProfilePictureUrlsTests
{
    [Theory]
    [InlineData("https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1&height=50&width=50&ext=1765000000&hash=AbC", 1765000000L)]
    [InlineData("https://scontent.xx.fbcdn.net/v/t1.0-1/p50x50/1.jpg?_nc_cat=1&oh=ab&oe=693A5F80", 0x693A5F80L)]
    public void The_expiry_a_signed_picture_url_carries_is_read(string url, long expectedSeconds)
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expectedSeconds), ProfilePictureUrls.ExpiresAt(url));

    [Theory]
    [InlineData(null)]
    [InlineData("https://example.com/picture.jpg")]
    [InlineData("https://example.com/picture.jpg?ext=soon&oe=zz")]
    public void A_url_without_an_expiry_says_none(string? url) => Assert.Null(ProfilePictureUrls.ExpiresAt(url));
}
