using System.Text.Json;
using MetaGraph.Emulator.Errors;
using Microsoft.Extensions.Primitives;

namespace MetaGraph.Emulator.Graph;

/// <summary>A POST's parameters as Graph reads them: the query string, then the form fields or the top-level properties of
/// a JSON body (a nested object or array as its JSON text, as a form field carries it). Body parameters win.</summary>
internal static class RequestParameters
{
    public static async Task<IQueryCollection> ReadAsync(HttpRequest request)
    {
        var parameters = request.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (Exception error) when (error is InvalidDataException or IOException or BadHttpRequestException)
            {
                throw GraphErrors.InvalidParameter("(#100) The request body is not a valid form");
            }
            foreach (var (name, value) in form)
            {
                parameters[name] = value;
            }
        }
        else if (request.HasJsonContentType())
        {
            foreach (var (name, value) in await ReadJsonAsync(request))
            {
                parameters[name] = value;
            }
        }
        return new QueryCollection(parameters);
    }

    private static async Task<Dictionary<string, StringValues>> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw GraphErrors.InvalidParameter("(#100) A JSON body must be an object of parameters");
            }
            var parameters = new Dictionary<string, StringValues>(StringComparer.Ordinal);
            foreach (var property in body.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
            {
                var value = property.Value;
                parameters[property.Name] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
            return parameters;
        }
        catch (JsonException)
        {
            throw GraphErrors.InvalidParameter("(#100) The request body is not valid JSON");
        }
    }
}
