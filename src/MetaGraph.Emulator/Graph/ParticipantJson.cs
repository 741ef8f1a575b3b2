using System.Text.Json;
using MetaGraph.Emulator.Data;
using MetaGraph.Emulator.FieldExpansion;

namespace MetaGraph.Emulator.Graph;

/// <summary>A person or Page in <c>from</c>, <c>to</c>, <c>participants</c>: Messenger <c>{name,email,id}</c>,
/// Instagram <c>{username,id,user_id}</c>. Like every Graph node it always carries its id.</summary>
internal static class ParticipantJson
{
    public static void Write(Utf8JsonWriter writer, ParticipantData participant, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject();
        var wroteId = false;
        foreach (var field in fields ?? Default)
        {
            switch (field.Name)
            {
                case "id": writer.WriteString("id", participant.Id); wroteId = true; break;
                case "name": writer.WriteStringUnlessNull("name", participant.Name); break;
                case "email": writer.WriteStringUnlessNull("email", participant.Email); break;
                case "username": writer.WriteStringUnlessNull("username", participant.Username); break;
                case "user_id": writer.WriteStringUnlessNull("user_id", participant.UserId); break;
            }
        }
        if (!wroteId)
        {
            writer.WriteString("id", participant.Id);
        }
        writer.WriteEndObject();
    }

    /// <summary><c>{"data":[...]}</c>, as Graph wraps participant lists.</summary>
    public static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<ParticipantData> participants, IReadOnlyList<FieldSelection>? fields)
    {
        writer.WriteStartObject(name);
        writer.WriteStartArray("data");
        foreach (var participant in participants)
        {
            Write(writer, participant, fields);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static readonly IReadOnlyList<FieldSelection> Default = FieldSelection.Of("name", "email", "username", "id", "user_id");
}
