using System.ComponentModel.DataAnnotations;

namespace Gateway.Execution;

/// <summary>Bounds on what one operation may ask for, checked before anything executes.</summary>
public sealed class QueryLimitsOptions
{
    public const string Section = "Gateway:Limits";

    /// <summary>Deep enough for the IDE's introspection query, shallow enough to refuse pathological nesting.</summary>
    [Range(1, 1000)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>With list multipliers from <c>first</c>/<c>last</c>: a 50 × 50 inbox fits, 50 × 50 × 50 does not.</summary>
    [Range(1, int.MaxValue)]
    public int MaxComplexity { get; set; } = 50_000;

    /// <summary>How often one field may appear (under aliases) in one selection set; 120 <c>message(id:)</c> fit.</summary>
    [Range(1, 100_000)]
    public int MaxAliasesPerField { get; set; } = 200;

    /// <summary>Fields in one document as written (HotChocolate's <c>MaxAllowedFields</c> default); checked before validation.</summary>
    [Range(1, 1_000_000)]
    public int MaxFields { get; set; } = 2048;

    /// <summary>Tokens in one document (names, punctuation, values); the IDE's introspection query has about 300,
    /// 120 <c>message(id:)</c> aliases about 2,500. Counted before parsing.</summary>
    [Range(100, 10_000_000)]
    public int MaxTokens { get; set; } = 20_000;

    /// <summary>Errors in one response; past it, one error says how many were left out.</summary>
    [Range(1, 100_000)]
    public int MaxErrors { get; set; } = 100;

    /// <summary>Representations in one <c>_entities</c> call: a router asks for what one plan step needs, far below this.</summary>
    [Range(1, 1_000_000)]
    public int MaxEntityRepresentations { get; set; } = 1000;

    /// <summary>HotChocolate's default execution timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
