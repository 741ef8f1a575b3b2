using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Gateway.Api;
using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Execution;

/// <summary>
/// Persisted operations, both kinds: trusted documents from <see cref="PersistedOperationsOptions.Directory"/> by
/// <c>id</c>/<c>documentId</c> (HotChocolate's and Relay's <c>id</c>, the GraphQL-over-HTTP draft's <c>documentId</c>
/// with or without <c>sha256:</c>), and Apollo's automatic persisted queries (<c>extensions.persistedQuery</c>), whose
/// hash is checked against the query before the query is remembered. Runs before <see cref="ValidatedDocumentCache"/>,
/// which then sees an ordinary query text.
/// </summary>
public sealed class PersistedOperations : IConfigureExecution, IDisposable
{
    /// <summary>Query text remembered for automatic persisted queries, in characters.</summary>
    public const long MaxAutomaticQueryCharacters = 1_000_000;

    private const string Sha256Prefix = "sha256:";

    private readonly PersistedOperationsOptions _options;
    private readonly FrozenDictionary<string, string> _trusted;
    private readonly MemoryCache _automatic = new(new MemoryCacheOptions { SizeLimit = MaxAutomaticQueryCharacters });

    public PersistedOperations(IOptions<PersistedOperationsOptions> options)
    {
        _options = options.Value;
        _trusted = ReadTrustedDocuments(_options.Directory);
    }

    /// <summary>Before the document cache (200).</summary>
    public float SortOrder => 150;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.DocumentId is { } documentId)
        {
            if (options.Query is not null)
            {
                return Refused("PERSISTED_OPERATION_INVALID", "Send either `query` or a document id, not both.");
            }
            if (!_trusted.TryGetValue(WithoutPrefix(documentId), out var trusted))
            {
                return Refused("PERSISTED_OPERATION_NOT_FOUND", "No persisted operation has this id.");
            }
            options.Query = trusted;
            return await next(options);
        }
        if (!TryReadPersistedQuery(options.Extensions, out var hash, out var problem))
        {
            return Refused("PERSISTED_QUERY_INVALID", problem);
        }
        if (hash is null)
        {
            return _options.OnlyAllowPersisted
                ? Refused("PERSISTED_OPERATION_REQUIRED", "This endpoint runs persisted operations only: send a document id.")
                : await next(options);
        }
        if (options.Query is null)
        {
            if (!FindByHash(hash, out var known))
            {
                // Apollo's clients look for these codes: on the first they send the query along with its hash, on the
                // second they stop sending hashes alone.
                return _options.AutomaticEnabled
                    ? Refused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
                    : Refused("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported");
            }
            options.Query = known;
            return await next(options);
        }
        if (!Sha256Hex(options.Query).Equals(hash, StringComparison.Ordinal))
        {
            return Refused("PERSISTED_QUERY_HASH_MISMATCH", "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`.");
        }
        if (_options.OnlyAllowPersisted && !_trusted.ContainsKey(hash))
        {
            return Refused("PERSISTED_OPERATION_REQUIRED", "This endpoint runs persisted operations only: this query is not one of them.");
        }
        var query = options.Query;
        var result = await next(options);
        // Only queries that passed validation are remembered, so the store cannot be filled with garbage.
        if (result.Executed && _options.AutomaticEnabled && !_options.OnlyAllowPersisted)
        {
            _automatic.Set(hash, query, new MemoryCacheEntryOptions { Size = query.Length });
        }
        return result;
    }

    public void Dispose() => _automatic.Dispose();

    /// <summary>The text a request without <c>query</c> runs: its trusted document, or the query its automatic persisted
    /// query's hash stands for; null when neither is known (executing it then answers why).</summary>
    public string? QueryOf(string? documentId, Inputs? extensions)
    {
        if (documentId is not null)
        {
            return _trusted.GetValueOrDefault(WithoutPrefix(documentId));
        }
        if (!TryReadPersistedQuery(extensions, out var hash, out _) || hash is null)
        {
            return null;
        }
        return FindByHash(hash, out var known) ? known : null;
    }

    /// <summary>A trusted document whose id is the hash, or a query remembered for automatic persisted queries.</summary>
    private bool FindByHash(string hash, out string? query)
        => _trusted.TryGetValue(hash, out query) || (_options.AutomaticEnabled && _automatic.TryGetValue(hash, out query));

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string WithoutPrefix(string documentId)
        => documentId.StartsWith(Sha256Prefix, StringComparison.Ordinal) ? documentId[Sha256Prefix.Length..] : documentId;

    /// <summary>Apollo's <c>{"persistedQuery":{"version":1,"sha256Hash":"…"}}</c>; no such extension is not a problem.</summary>
    private static bool TryReadPersistedQuery(Inputs? extensions, out string? hash, out string problem)
    {
        hash = null;
        problem = "";
        if (extensions is null || !extensions.TryGetValue("persistedQuery", out var value) || value is null)
        {
            return true;
        }
        if (value is not IReadOnlyDictionary<string, object?> persistedQuery)
        {
            problem = "`extensions.persistedQuery` must be an object.";
            return false;
        }
        if (!persistedQuery.TryGetValue("version", out var version) || Convert.ToString(version, System.Globalization.CultureInfo.InvariantCulture) != "1")
        {
            problem = "`extensions.persistedQuery.version` must be 1.";
            return false;
        }
        if (!persistedQuery.TryGetValue("sha256Hash", out var sha256) || sha256 is not string { Length: 64 } text || !text.All(char.IsAsciiHexDigitLower))
        {
            problem = "`extensions.persistedQuery.sha256Hash` must be 64 lowercase hexadecimal digits.";
            return false;
        }
        hash = text;
        return true;
    }

    private static ExecutionResult Refused(string code, string message)
        => new() { Errors = [new GatewayError(code, message)] };

    private static FrozenDictionary<string, string> ReadTrustedDocuments(string? directory)
    {
        // The folder's existence is checked at start-up (GraphQLHttpEndpoint.AddGraphQLHttp).
        if (string.IsNullOrEmpty(directory))
        {
            return FrozenDictionary<string, string>.Empty;
        }
        return System.IO.Directory.EnumerateFiles(directory, "*.graphql")
            .ToFrozenDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllText, StringComparer.Ordinal);
    }
}
