using MetaGraph.Emulator.Diagnostics;
using MetaGraph.Emulator.Graph;
using MetaGraph.Emulator.Live;

namespace MetaGraph.Emulator;

public static class EmulatorEndpoints
{
    /// <summary>Serves the emulator from any web app: <c>/_emulator/*</c> diagnostics and the living inbox, and the Graph API on every other
    /// path (<c>/{version}/...</c> and batch <c>POST /</c>). Map it at the root or under a route group.</summary>
    public static IEndpointRouteBuilder MapMetaGraphEmulator(this IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.MapDiagnostics(state);
        endpoints.MapLiveInbox(state);
        var graph = new GraphHandler(state);
        endpoints.Map("/{**path}", graph.HandleAsync);
        return endpoints;
    }
}
