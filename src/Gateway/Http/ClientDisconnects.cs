using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Http;

/// <summary>
/// A client that hangs up mid-request (mid-body, mid-stream, before a WebSocket close handshake) is ordinary on the
/// internet. What that throws is noted at Debug and the request ends; it must never reach the error log, or any client
/// could write error lines (with stack traces) at will.
/// </summary>
public static partial class ClientDisconnects
{
    /// <summary>Whether <paramref name="error"/> only says the client went away, or sent what Kestrel could not read.</summary>
    public static bool HungUp(HttpContext context, Exception error)
        => context.RequestAborted.IsCancellationRequested
           || error is BadHttpRequestException or ConnectionResetException or ConnectionAbortedException or WebSocketException
           || (error is IOException && error.InnerException is ConnectionResetException or ConnectionAbortedException);

    /// <summary>The outermost middleware: whatever a request throws after its client hung up is dropped.</summary>
    public static IApplicationBuilder UseClientDisconnects(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next();
        }
        catch (Exception error) when (HungUp(context, error))
        {
            Note(context, error);
        }
    });

    /// <summary>Notes at Debug that the request ended because its client hung up.</summary>
    public static void Note(HttpContext context, Exception error)
        => Log.HungUp(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientDisconnects)), context.Request.Path, error.GetType().Name);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "The client of {Path} hung up ({Error}).")]
        public static partial void HungUp(ILogger logger, string path, string error);
    }
}
