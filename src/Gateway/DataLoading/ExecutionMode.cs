namespace Gateway.DataLoading;

/// <summary>How GraphQL fields become Graph API calls. Only <see cref="PushDown"/> is for production; the other two
/// exist so the benchmark can show what batching and push-down each buy.</summary>
public enum ExecutionMode
{
    /// <summary>Parents carry their children's fields in one call (field expansion); loaders batch the rest.</summary>
    PushDown,
    /// <summary>Loaders batch and cache, but every level is its own call.</summary>
    Batched,
    /// <summary>One call per object, as a plain REST-to-GraphQL gateway does.</summary>
    Naive,
}

