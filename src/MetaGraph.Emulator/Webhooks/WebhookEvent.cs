using System.Text.Json.Nodes;

namespace MetaGraph.Emulator.Webhooks;

/// <summary>One update as a webhook carries it: the object (<c>page</c> or <c>instagram</c>), the entry it belongs to (the
/// Page id or the Instagram account id), its time in Unix milliseconds, and its <c>messaging</c> event.</summary>
internal sealed record WebhookEvent(string Object, string EntryId, long Time, JsonObject Messaging);
