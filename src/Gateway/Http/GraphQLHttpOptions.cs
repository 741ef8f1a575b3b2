using System.ComponentModel.DataAnnotations;

namespace Gateway.Http;

/// <summary><c>GraphQL:Http</c>: where GraphQL is served and how large a request may be.</summary>
public sealed class GraphQLHttpOptions
{
    public const string Section = "GraphQL:Http";

    /// <summary>Where the GraphQL endpoint (and Banana Cake Pop, for browsers) is served.</summary>
    [Required, RegularExpression("^/.*", ErrorMessage = "GraphQL:Http:Path must start with '/'.")]
    public string Path { get; set; } = "/graphql";

    /// <summary>Larger bodies are refused with 413 before they are parsed.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
