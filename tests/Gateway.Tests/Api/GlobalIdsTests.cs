using Gateway.Api;
using Gateway.Paging;

namespace Gateway.Tests.Api;

/// <summary>Arguments take either a global id or Meta's own: telling them apart never throws, whatever the bytes decode to.</summary>
public sealed class GlobalIdsTests
{
    [Theory]
    [InlineData("Page", "104000000000001")]
    [InlineData("Conversation", "t_10228512347120")]
    [InlineData("Message", "m_Zoë-ünïcode")]
    public void A_global_id_decodes_to_its_type_and_metas_id(string typeName, string metaId)
    {
        Assert.True(GlobalIds.TryDecode(GlobalIds.Encode(typeName, metaId), out var type, out var id));
        Assert.Equal((typeName, metaId), (type, id));
    }

    [Theory]
    [InlineData("Message", "m_Zoë-ünïcode")]
    [InlineData("Conversation", "t_10228512347120")]
    public void A_global_id_in_an_answer_is_written_as_its_string(string typeName, string metaId)
    {
        var encoded = GlobalIds.Encode(typeName, metaId);

        Assert.Equal($"\"{encoded}\"", TextLeaves.Written(new GlobalId(typeName, metaId)));
        Assert.Equal(encoded, new GlobalId(typeName, metaId).ToString());
    }

    [Fact]
    public void A_cursor_in_an_answer_is_written_as_its_string()
    {
        var cursor = new ConnectionCursor(12, "QVFIRTZAbc-_=", 3, null, 0);

        Assert.Equal($"\"{cursor.Encode()}\"", TextLeaves.Written(cursor));
        Assert.True(ConnectionCursor.TryDecode(cursor.ToString(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("104000000000001")] // base64 of bytes that are not UTF-8
    [InlineData("aWdfZDoxNzg0MTQwMDAwMDAwMDAwMQ==")] // Instagram-style base64 of "ig_d:17841400000000001"
    [InlineData("VXNlcjox")] // "User:1": not one of the node types
    [InlineData("t_10228512347120")]
    [InlineData("")]
    public void Metas_own_ids_are_not_global_ids(string id) => Assert.False(GlobalIds.TryDecode(id, out _, out _));
}
