namespace Gateway.Execution;

public sealed class PersistedOperationsOptions
{
    public const string Section = "Gateway:PersistedOperations";

    /// <summary>Trusted documents: a folder of <c>{id}.graphql</c> files (the id is usually the document's SHA-256),
    /// read at start-up and requested by <c>id</c> or <c>documentId</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>Refuse every request that is not a trusted document (Production lockdown). Automatic persisted queries
    /// then find only trusted documents and register nothing.</summary>
    public bool OnlyAllowPersisted { get; set; }

    /// <summary>Apollo's automatic persisted queries: a client sends a query's hash, and the query only when it is unknown.</summary>
    public bool AutomaticEnabled { get; set; } = true;
}
