namespace Gateway.Execution;

public sealed class IntrospectionOptions
{
    public const string Section = "Gateway:Introspection";

    /// <summary>Off: <c>__schema</c>, <c>__type</c> and <c>?sdl</c> are refused (<c>__typename</c> and federation's
    /// <c>_service</c> keep working). HotChocolate's <c>DisableIntrospection</c>.</summary>
    public bool Enabled { get; set; } = true;
}
